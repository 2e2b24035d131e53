package ai.onestep.torch;

import java.nio.ByteBuffer;

/** The element types a state dict's storages may hold, by the global name torch.save writes for each. */
enum StorageType {
    FLOAT("FloatStorage", 4),
    DOUBLE("DoubleStorage", 8),
    HALF("HalfStorage", 2),
    BFLOAT16("BFloat16Storage", 2);

    final String global;
    final int bytes;

    StorageType(String global, int bytes) {
        this.global = global;
        this.bytes = bytes;
    }

    static StorageType byGlobal(String name) {
        for (StorageType t : values()) {
            if (t.global.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Element {@code i} of a little-endian buffer of this type, as a float. */
    float get(ByteBuffer b, long i) {
        int at = Math.toIntExact(i * bytes);
        return switch (this) {
            case FLOAT -> b.getFloat(at);
            case DOUBLE -> (float) b.getDouble(at);
            case HALF -> halfToFloat(b.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
        };
    }

    /** IEEE 754 binary16 to binary32, subnormals, infinities and NaN included. */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
