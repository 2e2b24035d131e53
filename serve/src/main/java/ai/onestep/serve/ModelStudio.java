package ai.onestep.serve;

import ai.onestep.ckpt.Weights;
import ai.onestep.image.Pixels;
import ai.onestep.image.Png;
import ai.onestep.image.TensorImages;
import ai.onestep.run.RunVisuals;
import ai.onestep.generate.EditSpec;
import ai.onestep.generate.Editing;
import ai.onestep.generate.SampleSpec;
import ai.onestep.generate.Sampling;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.List;

/** The real {@link Studio}: checkpoints from a {@link Catalog}, sampled and edited with the shared generate package. */
final class ModelStudio implements Studio {
    private final Catalog catalog;

    ModelStudio(String checkpointsDir, int maxLoaded) {
        this.catalog = new Catalog(checkpointsDir, new Configuration(), maxLoaded);
    }

    String root() {
        return catalog.root();
    }

    @Override
    public List<CheckpointInfo> checkpoints() throws IOException {
        return catalog.list();
    }

    @Override
    public CheckpointInfo checkpoint(String name) throws IOException {
        return catalog.info(name);
    }

    @Override
    public Rendered generate(CheckpointInfo info, Weights weights, SampleSpec spec) throws IOException {
        try (Catalog.Lease lease = catalog.lease(info.name())) {
            Catalog.Model m = lease.model();
            Sampling.Result r = Sampling.run(m.denoiser(weights), m.network(), spec);
            if (r.samples().rank() == 2) {
                byte[] png = RunVisuals.scatter(r.samples());
                return new Rendered(png, pngWidth(png), pngHeight(png), r.seconds(), spec.num() + " points, " + spec.describe());
            }
            List<Pixels> images = TensorImages.toPixels(r.samples());
            Pixels grid = Png.grid(images, (int) Math.ceil(Math.sqrt(images.size())), 2);
            return rendered(grid, r.seconds(), spec.num() + " images, " + spec.describe());
        }
    }

    @Override
    public Rendered edit(CheckpointInfo info, Weights weights, EditSpec spec, Pixels image, Pixels mask) throws IOException {
        if (info.kind().equals("edm")) {
            throw ApiException.badRequest(info.name() + " is an EDM teacher; editing needs a consistency model");
        }
        try (Catalog.Lease lease = catalog.lease(info.name())) {
            Catalog.Model m = lease.model();
            long t0 = System.nanoTime();
            Editing.Result r = Editing.run(m.denoiser(weights), m.network(), spec, image, mask);
            List<Pixels> out = TensorImages.toPixels(r.images());
            Pixels shown = out.size() == 1 ? out.get(0) : Png.grid(out, out.size(), 2);
            return rendered(shown, (System.nanoTime() - t0) / 1e9, spec.task().label()
                    + (r.chosenClass() == null ? "" : ", class " + r.chosenClass() + " chosen"));
        }
    }

    private static Rendered rendered(Pixels image, double seconds, String description) {
        return new Rendered(Png.encode(image), image.width(), image.height(), seconds, description);
    }

    /** Width from the PNG's IHDR chunk (bytes 16-19, big-endian), which always follows the 8-byte signature. */
    private static int pngWidth(byte[] png) {
        return java.nio.ByteBuffer.wrap(png, 16, 4).getInt();
    }

    private static int pngHeight(byte[] png) {
        return java.nio.ByteBuffer.wrap(png, 20, 4).getInt();
    }

    @Override
    public void close() {
        catalog.close();
    }
}
