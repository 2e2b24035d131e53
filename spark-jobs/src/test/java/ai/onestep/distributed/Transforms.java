package ai.onestep.distributed;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Test helper: the largest absolute element difference. */
final class Transforms {
    private Transforms() {
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        org.nd4j.linalg.api.buffer.DataType d = org.nd4j.linalg.api.buffer.DataType.DOUBLE;
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a.castTo(d).sub(b.castTo(d))).maxNumber().doubleValue();
    }
}
