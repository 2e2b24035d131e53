package ai.onestep.serve;

import ai.onestep.ckpt.Weights;
import ai.onestep.image.Pixels;
import ai.onestep.generate.EditSpec;
import ai.onestep.generate.SampleSpec;

import java.io.IOException;
import java.util.List;

/** What the demo server asks of the models: list them, sample one, edit with one. Requests arrive validated. */
interface Studio extends AutoCloseable {
    List<CheckpointInfo> checkpoints() throws IOException;

    /** The listed checkpoint of that name (400 for a name that is not a plain name, 404 when not listed). */
    CheckpointInfo checkpoint(String name) throws IOException;

    Rendered generate(CheckpointInfo checkpoint, Weights weights, SampleSpec spec) throws IOException;

    Rendered edit(CheckpointInfo checkpoint, Weights weights, EditSpec spec, Pixels image, Pixels mask) throws IOException;

    @Override
    void close();
}
