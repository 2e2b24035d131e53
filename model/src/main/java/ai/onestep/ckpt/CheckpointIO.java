package ai.onestep.ckpt;

import ai.onestep.nn.ParamStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads checkpoint directories {@code step-000000123/}: config.json, state.json, model.npz, target.npz,
 * ema-RATE.npz, optimizer.npz and checksums.sha256 (sha256sum format, written last). The directory is written under
 * a temporary name and renamed when complete; {@code latest} names the newest complete one. Arrays in model, target
 * and EMA files are named and shaped as the original PyTorch state dict; numpy.load reads every .npz.
 */
public final class CheckpointIO {
    public static final String LATEST = "latest";
    public static final String CHECKSUMS = "checksums.sha256";
    /** Where a run directory keeps its checkpoints. */
    public static final String RUN_CHECKPOINTS = "checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointIO() {
    }

    public static String dirName(long step) {
        return String.format("step-%09d", step);
    }

    /** Writes the checkpoint atomically under {@code parent} and points {@code latest} at it; returns its path. */
    public static String save(CheckpointFiles files, String parent, Checkpoint c) throws IOException {
        String name = dirName(c.step());
        String dir = parent + "/" + name;
        commit(files, parent + "/." + name + ".tmp-" + Long.toHexString(System.nanoTime()), dir, c);
        String latestTmp = parent + "/." + LATEST + ".tmp-" + Long.toHexString(System.nanoTime());
        writeBytes(files, latestTmp, (name + "\n").getBytes(StandardCharsets.UTF_8));
        files.rename(latestTmp, parent + "/" + LATEST);
        return dir;
    }

    /**
     * Writes the checkpoint as the directory {@code name} (a single name, no slash) of {@code files}' root, committed by
     * one rename; refuses when it exists.
     */
    public static void saveAs(CheckpointFiles files, String name, Checkpoint c) throws IOException {
        if (name.contains("/") || name.isBlank()) {
            throw new IllegalArgumentException("a checkpoint directory name has no '/': " + name);
        }
        if (files.exists(name)) {
            throw new IllegalArgumentException(files.describe(name) + " exists; nothing written");
        }
        commit(files, "." + name + ".tmp-" + Long.toHexString(System.nanoTime()), name, c);
    }

    /** Writes every file into tmp, checksums last, then renames tmp to dir (replacing it). */
    private static void commit(CheckpointFiles files, String tmp, String dir, Checkpoint c) throws IOException {
        files.mkdirs(tmp);
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put("config.json", writeBytes(files, tmp + "/config.json", c.configJson().getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("format", 1);
        state.put("step", c.step());
        state.put("round", c.round());
        state.put("seed", c.seed());
        state.put("parameters", c.model().length());
        state.put("dtype", c.model().dataType() == DataType.DOUBLE ? "float64" : "float32");
        state.put("ema_rates", new ArrayList<>(c.emas().keySet()));
        state.put("has_target", c.target() != null);
        state.put("has_optimizer", c.optimizer() != null);
        state.put("extra", c.extra());
        sums.put("state.json", writeBytes(files, tmp + "/state.json", JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(state)));
        sums.put("model.npz", writeParams(files, tmp + "/model.npz", c.layout(), c.model()));
        if (c.target() != null) {
            sums.put("target.npz", writeParams(files, tmp + "/target.npz", c.layout(), c.target()));
        }
        for (Map.Entry<Double, INDArray> e : c.emas().entrySet()) {
            String f = "ema-" + e.getKey() + ".npz";
            sums.put(f, writeParams(files, tmp + "/" + f, c.layout(), e.getValue()));
        }
        if (c.optimizer() != null) {
            sums.put("optimizer.npz", writeNpz(files, tmp + "/optimizer.npz",
                    Map.of("state", c.optimizer().reshape(-1))));
        }
        StringBuilder lines = new StringBuilder();
        sums.forEach((f, h) -> lines.append(h).append("  ").append(f).append('\n'));
        writeBytes(files, tmp + "/" + CHECKSUMS, lines.toString().getBytes(StandardCharsets.UTF_8));
        if (files.exists(dir)) {
            files.deleteRecursively(dir);
        }
        files.rename(tmp, dir);
    }

    /**
     * The checkpoint {@code files} points at: a checkpoint directory itself, or the newest complete checkpoint of a run
     * directory; {@code what} names the option in the message when it is neither.
     */
    public static String newest(CheckpointFiles files, String what) throws IOException {
        if (files.exists(CHECKSUMS)) {
            return ".";
        }
        if (!files.exists(".")) {
            throw new IllegalArgumentException(what + " does not exist: " + files.describe("."));
        }
        return latest(files, RUN_CHECKPOINTS).orElseThrow(() -> new IllegalArgumentException(
                what + " is not a checkpoint (nor a run directory with one): " + files.describe(".")));
    }

    /** The newest complete checkpoint under parent: {@code latest} when valid, else the highest complete step dir. */
    public static Optional<String> latest(CheckpointFiles files, String parent) throws IOException {
        if (files.exists(parent + "/" + LATEST)) {
            String name = new String(readAll(files.open(parent + "/" + LATEST)), StandardCharsets.UTF_8).trim();
            if (files.exists(parent + "/" + name + "/" + CHECKSUMS)) {
                return Optional.of(parent + "/" + name);
            }
        }
        // a file system error propagates: taking it for "no checkpoint" would start a fresh run over an existing one
        List<String> steps = files.list(parent).stream().filter(n -> n.matches("step-\\d{9}"))
                .sorted(java.util.Comparator.reverseOrder()).toList();
        for (String n : steps) {
            if (files.exists(parent + "/" + n + "/" + CHECKSUMS)) {
                return Optional.of(parent + "/" + n);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads and verifies a checkpoint. Every file is checked against checksums.sha256, and the parameter layout
     * against {@code expected} (names and shapes), so a truncated, tampered or foreign checkpoint is refused with a
     * message naming the file.
     */
    public static Checkpoint load(CheckpointFiles files, String dir, List<ParamStore.Spec> expected, DataType dtype)
            throws IOException {
        if (!files.exists(dir + "/" + CHECKSUMS)) {
            throw new CorruptCheckpointException(files.describe(dir) + " is not a complete checkpoint (no "
                    + CHECKSUMS + ")");
        }
        Map<String, String> sums = readChecksums(files, dir);
        for (String f : List.of("config.json", "state.json", "model.npz")) {
            if (!sums.containsKey(f)) {
                throw new CorruptCheckpointException(files.describe(dir + "/" + CHECKSUMS) + " does not list " + f);
            }
        }
        String config = new String(verified(files, dir, "config.json", sums), StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> state = JSON.readValue(verified(files, dir, "state.json", sums), Map.class);
        INDArray model = readParams(files, dir, "model.npz", sums, expected, dtype);
        INDArray target = sums.containsKey("target.npz") ? readParams(files, dir, "target.npz", sums, expected, dtype)
                : null;
        Map<Double, INDArray> emas = new LinkedHashMap<>();
        for (String f : sums.keySet()) {
            if (f.startsWith("ema-") && f.endsWith(".npz")) {
                emas.put(Double.parseDouble(f.substring(4, f.length() - 4)),
                        readParams(files, dir, f, sums, expected, dtype));
            }
        }
        INDArray opt = null;
        if (sums.containsKey("optimizer.npz")) {
            Map<String, Npy.Array> arrays = readNpz(files, dir, "optimizer.npz", sums);
            opt = toArray(arrays.get("state"), dtype, files.describe(dir + "/optimizer.npz"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) state.getOrDefault("extra", Map.of());
        return new Checkpoint(((Number) state.get("step")).longValue(), ((Number) state.get("round")).longValue(),
                ((Number) state.get("seed")).longValue(), extra, config, expected, model, target, emas, opt);
    }

    /** The resolved config stored with a checkpoint (verified against its checksum). */
    public static String readConfig(CheckpointFiles files, String dir) throws IOException {
        Map<String, String> sums = readChecksums(files, dir);
        return new String(verified(files, dir, "config.json", sums), StandardCharsets.UTF_8);
    }

    /** File name -> sha256 hex, from checksums.sha256 (sha256sum format). */
    private static Map<String, String> readChecksums(CheckpointFiles files, String dir) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : new String(readAll(files.open(dir + "/" + CHECKSUMS)), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split("  ", 2);
                sums.put(parts[1].trim(), parts[0].trim());
            }
        }
        return sums;
    }

    private static INDArray readParams(CheckpointFiles files, String dir, String f, Map<String, String> sums,
                                       List<ParamStore.Spec> expected, DataType dtype) throws IOException {
        Map<String, Npy.Array> arrays = readNpz(files, dir, f, sums);
        String where = files.describe(dir + "/" + f);
        long size = expected.stream().mapToLong(ParamStore.Spec::length).sum();
        INDArray flat = Nd4j.create(dtype, size);
        for (ParamStore.Spec s : expected) {
            Npy.Array a = arrays.remove(s.name());
            if (a == null) {
                throw new CorruptCheckpointException(where + " has no parameter " + s.name()
                        + " (a checkpoint of another architecture?)");
            }
            if (!java.util.Arrays.equals(a.shape(), s.shape())) {
                throw new CorruptCheckpointException(where + ": parameter " + s.name() + " has shape "
                        + java.util.Arrays.toString(a.shape()) + ", the network expects "
                        + java.util.Arrays.toString(s.shape()));
            }
            ParamStore.view(flat, s).assign(toArray(a, dtype, where).reshape(s.shape()));
        }
        if (!arrays.isEmpty()) {
            throw new CorruptCheckpointException(where + " has parameters the network lacks, e.g. "
                    + arrays.keySet().iterator().next() + " (a checkpoint of another architecture?)");
        }
        return flat;
    }

    private static INDArray toArray(Npy.Array a, DataType dtype, String where) {
        if (a == null) {
            throw new CorruptCheckpointException(where + " lacks its 'state' array");
        }
        INDArray arr = a.floats() != null ? Nd4j.createFromArray(a.floats()) : Nd4j.createFromArray(a.doubles());
        return arr.dataType() == dtype ? arr : arr.castTo(dtype);
    }

    private static byte[] verified(CheckpointFiles files, String dir, String f, Map<String, String> sums)
            throws IOException {
        MessageDigest md = sha256();
        byte[] bytes;
        try (InputStream in = new DigestInputStream(files.open(dir + "/" + f), md)) {
            bytes = readAll(in);
        }
        check(files, dir, f, sums, md);
        return bytes;
    }

    private static Map<String, Npy.Array> readNpz(CheckpointFiles files, String dir, String f,
                                                  Map<String, String> sums) throws IOException {
        MessageDigest md = sha256();
        Map<String, Npy.Array> out = new LinkedHashMap<>();
        String where = files.describe(dir + "/" + f);
        if (!files.exists(dir + "/" + f)) {
            throw new CorruptCheckpointException(where + " is missing");
        }
        try (DigestInputStream din = new DigestInputStream(files.open(dir + "/" + f), md);
             ZipInputStream zin = new ZipInputStream(din)) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                out.put(name, Npy.read(zin));
            }
            din.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException ex) {
            throw new CorruptCheckpointException(where + " is truncated or corrupt (" + ex.getMessage() + ")", ex);
        }
        check(files, dir, f, sums, md);
        return out;
    }

    private static void check(CheckpointFiles files, String dir, String f, Map<String, String> sums,
                              MessageDigest md) {
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(sums.get(f))) {
            throw new CorruptCheckpointException(files.describe(dir + "/" + f)
                    + " does not match its checksum (truncated or modified): sha256 " + actual + ", expected "
                    + sums.get(f));
        }
    }

    private static String writeParams(CheckpointFiles files, String path, List<ParamStore.Spec> layout,
                                      INDArray flat) throws IOException {
        Map<String, INDArray> named = new LinkedHashMap<>();
        for (ParamStore.Spec s : layout) {
            named.put(s.name(), ParamStore.view(flat, s));
        }
        return writeNpz(files, path, named);
    }

    private static String writeNpz(CheckpointFiles files, String path, Map<String, INDArray> arrays)
            throws IOException {
        MessageDigest md = sha256();
        try (DigestOutputStream dout = new DigestOutputStream(files.create(path), md);
             ZipOutputStream zip = new ZipOutputStream(dout)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                INDArray a = e.getValue();
                if (a.dataType() == DataType.DOUBLE) {
                    Npy.writeDoubles(zip, a.shape(), a.dup('c').data().asDouble());
                } else {
                    Npy.writeFloats(zip, a.shape(), a.dup('c').data().asFloat());
                }
                zip.closeEntry();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String writeBytes(CheckpointFiles files, String path, byte[] bytes) throws IOException {
        try (OutputStream out = files.create(path)) {
            out.write(bytes);
        }
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
