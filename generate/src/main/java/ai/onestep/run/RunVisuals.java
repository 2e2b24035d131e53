package ai.onestep.run;

import ai.onestep.ckpt.CheckpointFiles;
import ai.onestep.conf.MethodSettings;
import ai.onestep.conf.TrainConfig;
import ai.onestep.image.Pixels;
import ai.onestep.image.Png;
import ai.onestep.image.TensorImages;
import ai.onestep.nn.Network;
import ai.onestep.nn.GraphDenoiser;
import ai.onestep.sampler.ConsistencySampler;
import ai.onestep.sampler.EdmSampler;
import ai.onestep.schedule.Karras;
import ai.onestep.train.Trainer;
import ai.onestep.util.Rng;
import ai.onestep.util.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a person looks at during a run: {@code samples/round-N.png} (one-step samples on top, two-step below, from the
 * first EMA; for EDM teachers 18-step Heun samples; for 2-D data a scatter plot) and {@code loss.png}.
 */
public final class RunVisuals {
    private final TrainConfig cfg;
    private final CheckpointFiles files;

    public RunVisuals(TrainConfig cfg, CheckpointFiles files) {
        this.cfg = cfg;
        this.files = files;
    }

    /** Writes the sample grid and the loss plot; returns the grid's location. */
    public String write(Trainer trainer, List<double[]> history, long round) throws IOException {
        Double rate = cfg.emaRates().isEmpty() ? null : cfg.emaRates().get(0);
        Network net = cfg.network();
        GraphDenoiser online = trainer.denoiser(rate);
        // images are clamped to [-1, 1] at every step, as the original samples them; points are not
        ai.onestep.precond.Denoiser d = net.sampleShape().length == 1 ? online : online.clamped();
        boolean edm = cfg.methodSettings().kind() == MethodSettings.Kind.EDM;
        int n = net.sampleShape().length == 1 ? 1000 : 16;
        long[] shape = new long[net.sampleShape().length + 1];
        shape[0] = n;
        System.arraycopy(net.sampleShape(), 0, shape, 1, net.sampleShape().length);
        Rng rng = Rng.derive(cfg.run().seed(), 0x5A4D_504CL);
        INDArray noise = Tensors.gaussian(rng, DataType.FLOAT, shape); // unit noise: the samplers scale it
        int[] labels = net.numClasses() > 0 ? new int[n] : null;
        if (labels != null) {
            for (int i = 0; i < n; i++) {
                labels[i] = i % net.numClasses();
            }
        }
        INDArray first;
        INDArray second;
        if (edm) {
            first = EdmSampler.heun().sample(d, noise, Karras.standard().sigmas(18), labels, Rng.of(1));
            second = null;
        } else {
            first = ConsistencySampler.oneStep(80, 0.002).sample(d, noise.dup(), labels, Rng.of(1));
            second = ConsistencySampler.fromGrid(Karras.standard().sigmas(40), new int[]{0, 22}, 0.002)
                    .sample(d, noise.dup(), labels, Rng.of(2));
        }
        byte[] png = shape.length == 2 ? scatter(first) : grid(first, second);
        files.mkdirs("samples");
        String name = String.format("samples/round-%06d.png", round);
        write(name, png);
        write("loss.png", lossPlot(history));
        return files.describe(name);
    }

    private void write(String name, byte[] bytes) throws IOException {
        String tmp = name + ".tmp";
        try (OutputStream o = files.create(tmp)) {
            o.write(bytes);
        }
        files.rename(tmp, name);
    }

    private static byte[] grid(INDArray first, INDArray second) {
        List<Pixels> all = new ArrayList<>(TensorImages.toPixels(first));
        if (second != null) {
            all.addAll(TensorImages.toPixels(second));
        }
        return Png.encode(Png.grid(all, (int) first.size(0), 2));
    }

    /** A PNG scatter plot of 2-D points (the unit circle drawn in gray for scale). */
    public static byte[] scatter(INDArray pts) {
        int size = 400;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(200, 200, 200));
        g.drawOval(size / 2 - size / 3, size / 2 - size / 3, 2 * size / 3, 2 * size / 3);
        g.setColor(new Color(20, 60, 160));
        for (int i = 0; i < pts.size(0); i++) {
            int x = (int) Math.round(size / 2 + pts.getDouble(i, 0) * size / 3);
            int y = (int) Math.round(size / 2 - pts.getDouble(i, 1) * size / 3);
            g.fillRect(x - 1, y - 1, 2, 2);
        }
        g.dispose();
        return encode(img);
    }

    /** Loss against step, log scale when the losses are positive. */
    static byte[] lossPlot(List<double[]> history) {
        List<double[]> pts = history.stream().filter(p -> Double.isFinite(p[2])).toList();
        return linePlot(pts.stream().mapToDouble(p -> p[1]).toArray(), pts.stream().mapToDouble(p -> p[2]).toArray(),
                "step", "loss");
    }

    /** y against x as a line with the end values labelled; log scale for y when every y is positive. */
    public static byte[] linePlot(double[] xs, double[] ys, String xName, String yName) {
        int w = 640;
        int h = 360;
        int m = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.drawRect(m, 10, w - m - 10, h - m - 10);
        int n = Math.min(xs.length, ys.length);
        if (n >= 2) {
            boolean log = java.util.Arrays.stream(ys, 0, n).allMatch(v -> v > 0);
            double x0 = xs[0];
            double x1 = xs[n - 1];
            double lo = java.util.Arrays.stream(ys, 0, n).map(v -> y(v, log)).min().orElse(0);
            double hi = java.util.Arrays.stream(ys, 0, n).map(v -> y(v, log)).max().orElse(1);
            if (hi == lo) {
                hi = lo + 1;
            }
            g.setColor(new Color(200, 40, 40));
            g.setStroke(new BasicStroke(1.5f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < n; i++) {
                int x = m + (int) ((xs[i] - x0) / Math.max(1e-9, x1 - x0) * (w - m - 10));
                int y = 10 + (int) ((hi - y(ys[i], log)) / (hi - lo) * (h - m - 10));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                g.fillOval(x - 2, y - 2, 4, 4);
                px = x;
                py = y;
            }
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.3g", log ? Math.pow(10, hi) : hi), 2, 20);
            g.drawString(String.format("%.3g", log ? Math.pow(10, lo) : lo), 2, h - m);
            g.drawString(xName + " " + (long) x0, m, h - m + 20);
            g.drawString(xName + " " + (long) x1, w - 90, h - m + 20);
            g.drawString(yName + (log ? " (log scale)" : ""), w / 2 - 40, h - 12);
        }
        g.dispose();
        return encode(img);
    }

    private static double y(double v, boolean log) {
        return log ? Math.log10(v) : v;
    }

    private static byte[] encode(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
