package ai.onestep.distributed;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Test helper: the largest absolute element difference. */
final class Transforms {
    private Transforms() {
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sub(b.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))
                .norm1Number().doubleValue() == 0 ? 0 : org.nd4j.linalg.ops.transforms.Transforms.abs(
                a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sub(b.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)))
                .maxNumber().doubleValue();
    }
}
