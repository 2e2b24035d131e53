'use strict';
// OneStep demo page: no build step, no dependencies. Talks to /api/checkpoints, /api/generate and /api/edit.
const $ = (id) => document.getElementById(id);
const EXAMPLES = ['camera', 'chelsea', 'coffee', 'astronaut'];
let checkpoints = [];
let side = 64;
let loadedImage = null; // HTMLImageElement or ImageBitmap of the current input

function params() { return new URLSearchParams(window.location.search); }

function saveUrl() {
  const p = new URLSearchParams();
  const tab = $('panel-edit').hidden ? 'generate' : 'edit';
  p.set('tab', tab);
  if (tab === 'generate') {
    for (const id of ['checkpoint', 'ema', 'sampler', 'steps', 'ts', 'seed', 'num', 'class']) {
      const v = $('gen-' + id).value;
      if (v !== '' && !$('gen-' + id).closest('label').hidden) p.set(id, v);
    }
    if ($('gen-compare').checked) {
      p.set('compare', '1');
      p.set('teacher', $('gen-teacher').value);
      p.set('teacherSteps', $('gen-teacher-steps').value);
    }
  } else {
    for (const id of ['checkpoint', 'task', 'example', 'seed', 'factor']) p.set(id, $('edit-' + id).value);
    if (!$('edit-class-label').hidden) p.set('class', $('edit-class').value === '' ? 'choose' : $('edit-class').value);
  }
  history.replaceState(null, '', '?' + p.toString());
}

function option(select, value, text) {
  const o = document.createElement('option');
  o.value = value; o.textContent = text;
  select.appendChild(o);
}

function info(name) { return checkpoints.find((c) => c.name === name); }

function describe(c) {
  if (!c) return 'no checkpoint';
  const what = c.resolution > 0 ? `${c.resolution}x${c.resolution}, ${c.channels === 1 ? 'gray' : 'RGB'}` : `${c.dims}-D points`;
  return `${c.kind.toUpperCase()} · ${what}` + (c.classes ? ` · ${c.classes} classes` : '') + ` · step ${c.step}`;
}

function showError(prefix, message) {
  const e = $(prefix + '-error');
  e.textContent = message; e.hidden = !message;
}

function busy(prefix, on) {
  const box = $(prefix + '-progress');
  box.hidden = !on;
  $(prefix + '-go').disabled = on;
  if (on) {
    const t0 = performance.now();
    box.dataset.timer = setInterval(() => {
      $(prefix + '-progress-text').textContent = `working… ${((performance.now() - t0) / 1000).toFixed(1)} s`;
    }, 100);
  } else {
    clearInterval(Number(box.dataset.timer));
    $(prefix + '-progress-text').textContent = 'working';
  }
}

async function errorText(res) {
  try { return (await res.json()).error || res.statusText; } catch (e) { return res.status + ' ' + res.statusText; }
}

function figure(blob, caption, name, id) {
  const url = URL.createObjectURL(blob);
  const fig = document.createElement('figure');
  const img = document.createElement('img');
  img.src = url; img.alt = caption; if (id) img.id = id;
  img.onload = () => { const scale = Math.max(1, Math.floor(384 / img.naturalWidth)); img.width = img.naturalWidth * scale; };
  const cap = document.createElement('figcaption');
  cap.textContent = caption + ' ';
  const a = document.createElement('a');
  a.href = url; a.download = name; a.textContent = 'download PNG';
  cap.appendChild(a);
  fig.append(img, cap);
  return fig;
}

// ---------- Generate ----------
function updateGenerate() {
  const c = info($('gen-checkpoint').value);
  $('gen-info').textContent = describe(c);
  const ema = $('gen-ema'); const keep = ema.value; ema.innerHTML = '';
  if (c) for (const r of c.emaRates) option(ema, r, 'EMA ' + r);
  option(ema, 'online', 'online parameters');
  if ([...ema.options].some((o) => o.value === keep)) ema.value = keep;
  const teacher = c && c.kind === 'edm';
  for (const o of $('gen-sampler').options) o.disabled = teacher ? o.value !== 'heun' : o.value === 'heun';
  if ($('gen-sampler').selectedOptions[0].disabled) $('gen-sampler').value = teacher ? 'heun' : 'onestep';
  const s = $('gen-sampler').value;
  if (s === 'heun' && Number($('gen-steps').value) < 2) $('gen-steps').value = 18;
  $('gen-steps-label').hidden = s === 'onestep';
  $('gen-ts-label').hidden = s !== 'multistep';
  $('gen-class-label').hidden = !(c && c.classes > 0);
  const cls = $('gen-class'); const keepClass = cls.value; cls.innerHTML = '';
  option(cls, '', 'all classes');
  if (c) for (let k = 0; k < c.classes; k++) option(cls, k, className(c, k));
  cls.value = keepClass;
  $('gen-teacher-label').hidden = !$('gen-compare').checked;
  saveUrl();
}

function generateBody(name, sampler, steps) {
  const body = { checkpoint: name, sampler, seed: Number($('gen-seed').value), num: Number($('gen-num').value) };
  if (sampler !== 'onestep') body.steps = Number(steps);
  const ts = $('gen-ts').value.trim();
  if (sampler === 'multistep' && ts) body.ts = ts.split(',').map((x) => Number(x.trim()));
  const c = info(name);
  if (name === $('gen-checkpoint').value && $('gen-ema').value !== '') body.ema = $('gen-ema').value === 'online' ? 'online' : Number($('gen-ema').value);
  if (c && c.classes > 0 && $('gen-class').value !== '') body.class = Number($('gen-class').value);
  return body;
}

async function generateOne(body, label, id) {
  const t0 = performance.now();
  const res = await fetch('api/generate', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(await errorText(res));
  const blob = await res.blob();
  const model = Number(res.headers.get('X-OneStep-Seconds'));
  const wall = (performance.now() - t0) / 1000;
  return figure(blob, `${label}: model ${model.toFixed(2)} s (request ${wall.toFixed(2)} s)`,
    `${body.checkpoint}-${body.sampler}-seed${body.seed}.png`, id);
}

async function generate() {
  saveUrl();
  showError('gen', '');
  const results = $('gen-results');
  results.innerHTML = '';
  busy('gen', true);
  try {
    const s = $('gen-sampler').value;
    const label = s === 'onestep' ? 'one step' : s === 'heun' ? `Heun, ${$('gen-steps').value} steps` : 'multistep';
    results.appendChild(await generateOne(generateBody($('gen-checkpoint').value, s, $('gen-steps').value), label, 'gen-image'));
    if ($('gen-compare').checked && $('gen-teacher').value) {
      const steps = $('gen-teacher-steps').value;
      results.appendChild(await generateOne(generateBody($('gen-teacher').value, 'heun', steps),
        `teacher ${$('gen-teacher').value}, Heun ${steps} steps`, 'gen-teacher-image'));
    }
  } catch (e) {
    showError('gen', e.message);
  } finally {
    busy('gen', false);
  }
}

// ---------- Editing ----------
function updateEdit() {
  const c = info($('edit-checkpoint').value);
  $('edit-info').textContent = describe(c);
  if (c && c.resolution > 0 && c.resolution !== side) {
    side = c.resolution;
    for (const id of ['edit-canvas', 'edit-mask']) { $(id).width = side; $(id).height = side; }
    drawInput();
  }
  $('edit-factor-label').hidden = $('edit-task').value !== 'superres';
  const colorize = $('edit-task').options[1];
  colorize.disabled = !(c && c.channels === 3);
  if (colorize.disabled && $('edit-task').value === 'colorize') $('edit-task').value = 'inpaint';
  // class-conditional models: a class, or (inpaint, colorize, superres) let the server try every class and keep the
  // one that best explains the kept pixels; that costs classes x (edit + 40) network evaluations, within its cap
  $('edit-class-label').hidden = !(c && c.classes > 0);
  const cls = $('edit-class'); const keepClass = cls.value; cls.innerHTML = '';
  if (c) for (let k = 0; k < c.classes; k++) option(cls, k, className(c, k));
  if (c && c.classes > 0 && $('edit-task').value !== 'stroke') option(cls, '', `choose (tries all ${c.classes})`);
  if ([...cls.options].some((o) => o.value === keepClass)) cls.value = keepClass;
  saveUrl();
}

function drawInput() {
  const ctx = $('edit-canvas').getContext('2d');
  ctx.fillStyle = '#808080'; ctx.fillRect(0, 0, side, side);
  if (loadedImage) {
    const w = loadedImage.naturalWidth || loadedImage.width; const h = loadedImage.naturalHeight || loadedImage.height;
    const crop = Math.min(w, h);
    ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(loadedImage, (w - crop) / 2, (h - crop) / 2, crop, crop, 0, 0, side, side);
  }
  $('edit-mask').getContext('2d').clearRect(0, 0, side, side);
}

function loadImage(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => { loadedImage = img; drawInput(); resolve(); };
    img.onerror = () => reject(new Error('could not read that image'));
    img.src = src;
  });
}

function brushAt(ev) {
  const canvas = $('edit-mask');
  const r = canvas.getBoundingClientRect();
  const x = (ev.clientX - r.left) * side / r.width; const y = (ev.clientY - r.top) * side / r.height;
  const size = Math.max(0.75, Number($('edit-brush').value) * side / 64);
  const stroke = $('edit-task').value === 'stroke';
  const ctx = stroke ? $('edit-canvas').getContext('2d') : canvas.getContext('2d');
  ctx.fillStyle = stroke ? $('edit-color').value : 'rgba(255, 0, 0, 0.65)';
  ctx.beginPath(); ctx.arc(x, y, size, 0, 2 * Math.PI); ctx.fill();
}

function setupDrawing() {
  const canvas = $('edit-mask');
  let drawing = false;
  canvas.addEventListener('pointerdown', (e) => { drawing = true; brushAt(e); });
  canvas.addEventListener('pointermove', (e) => { if (drawing) brushAt(e); });
  window.addEventListener('pointerup', () => { drawing = false; });
}

function toBlob(canvas) { return new Promise((resolve) => canvas.toBlob(resolve, 'image/png')); }

function maskCanvas() { // white = regenerate, black = keep, at the model's resolution
  const out = document.createElement('canvas'); out.width = side; out.height = side;
  const src = $('edit-mask').getContext('2d').getImageData(0, 0, side, side);
  const ctx = out.getContext('2d'); const img = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const v = src.data[4 * i + 3] > 0 ? 255 : 0;
    img.data[4 * i] = v; img.data[4 * i + 1] = v; img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return out;
}

function inputCanvas() {
  if ($('edit-task').value !== 'superres') return $('edit-canvas');
  const small = Math.max(1, Math.floor(side / Number($('edit-factor').value)));
  const out = document.createElement('canvas'); out.width = small; out.height = small;
  const ctx = out.getContext('2d'); ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = 'high';
  ctx.drawImage($('edit-canvas'), 0, 0, small, small);
  return out;
}

async function edit() {
  saveUrl();
  showError('edit', '');
  busy('edit', true);
  const box = $('edit-result');
  try {
    const task = $('edit-task').value;
    const input = inputCanvas();
    const form = new FormData();
    form.append('checkpoint', $('edit-checkpoint').value);
    form.append('task', task);
    form.append('seed', $('edit-seed').value);
    if (!$('edit-class-label').hidden && $('edit-class').value !== '') form.append('class', $('edit-class').value);
    form.append('image', await toBlob(input), 'input.png');
    box.dataset.input = input.toDataURL('image/png');
    if (task === 'inpaint') {
      const mask = maskCanvas();
      form.append('mask', await toBlob(mask), 'mask.png');
      box.dataset.mask = mask.toDataURL('image/png');
    }
    const t0 = performance.now();
    const res = await fetch('api/edit', { method: 'POST', body: form });
    if (!res.ok) throw new Error(await errorText(res));
    const blob = await res.blob();
    const model = Number(res.headers.get('X-OneStep-Seconds'));
    box.innerHTML = '';
    const what = res.headers.get('X-OneStep-Description') || task;
    const fig = figure(blob, `${what}: model ${model.toFixed(2)} s (request ${((performance.now() - t0) / 1000).toFixed(2)} s)`,
      `${task}-seed${$('edit-seed').value}.png`, 'edit-image');
    box.appendChild(fig.querySelector('img'));
    $('edit-caption').innerHTML = '';
    $('edit-caption').append(...fig.querySelector('figcaption').childNodes);
  } catch (e) {
    showError('edit', e.message);
  } finally {
    busy('edit', false);
  }
}

// ---------- Wiring ----------
function showTab(tab) {
  for (const t of ['generate', 'edit']) {
    $('panel-' + t).hidden = t !== tab;
    $('tab-' + t).classList.toggle('active', t === tab);
  }
  saveUrl();
}

// a model with 1000 classes is taken to use ImageNet's label set (ILSVRC-2012 order), and its picker names them
let imagenetNames = [];
function className(c, k) {
  return c.classes === 1000 && imagenetNames.length === 1000 ? `${k} ${imagenetNames[k]}` : String(k);
}

async function init() {
  const p = params();
  for (const n of EXAMPLES) option($('edit-example'), n, n);
  try {
    const res = await fetch('api/checkpoints');
    if (!res.ok) throw new Error(await errorText(res));
    checkpoints = await res.json();
    if (checkpoints.some((c) => c.classes === 1000)) imagenetNames = await (await fetch('imagenet-classes.json')).json();
  } catch (e) {
    showError('gen', 'could not list checkpoints: ' + e.message);
  }
  for (const c of checkpoints) {
    option($('gen-checkpoint'), c.name, c.name);
    if (c.kind === 'edm') option($('gen-teacher'), c.name, c.name);
    if (c.kind !== 'edm' && c.resolution > 0) option($('edit-checkpoint'), c.name, c.name);
  }
  if (!checkpoints.length) showError('gen', 'no checkpoints in the server\'s checkpoints directory');
  const set = (id, v) => { if (v !== null && v !== undefined) $(id).value = v; };
  if (p.get('tab') === 'edit') {
    for (const id of ['checkpoint', 'task', 'example', 'seed', 'factor']) set('edit-' + id, p.get(id));
    updateEdit();
    set('edit-class', p.get('class') === 'choose' ? '' : p.get('class'));
  } else {
    for (const id of ['checkpoint', 'sampler', 'steps', 'ts', 'seed', 'num']) set('gen-' + id, p.get(id));
    $('gen-compare').checked = p.get('compare') === '1';
    set('gen-teacher', p.get('teacher')); set('gen-teacher-steps', p.get('teacherSteps'));
  }
  updateGenerate();
  if (p.get('tab') !== 'edit') { set('gen-ema', p.get('ema')); set('gen-class', p.get('class')); }
  updateEdit();
  await loadImage('examples/' + $('edit-example').value + '.png');
  showTab(p.get('tab') === 'edit' ? 'edit' : 'generate');
  document.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
  $('gen-form').addEventListener('change', updateGenerate);
  $('edit-form').addEventListener('change', updateEdit);
  $('gen-go').addEventListener('click', generate);
  $('edit-go').addEventListener('click', edit);
  $('edit-clear').addEventListener('click', drawInput);
  $('edit-example').addEventListener('change', () => loadImage('examples/' + $('edit-example').value + '.png'));
  $('edit-upload').addEventListener('change', (e) => {
    const f = e.target.files[0];
    if (f) loadImage(URL.createObjectURL(f)).catch((err) => showError('edit', err.message));
  });
  setupDrawing();
  document.body.dataset.ready = 'true';
}

init();
