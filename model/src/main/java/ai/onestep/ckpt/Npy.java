package ai.onestep.ckpt;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy format, version 1.0, for little-endian float32 ('<f4') and float64 ('<f8') C-order arrays:
 * magic "\x93NUMPY", version, a header dict padded to 64 bytes, then the raw values. numpy.load reads these files.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|]?[a-z]\\d)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");

    /** A decoded array: shape and values in exactly one of floats ('<f4'), doubles ('<f8') or bytes ('|u1'). */
    public record Array(long[] shape, float[] floats, double[] doubles, byte[] bytes) {
        public Array(long[] shape, float[] floats, double[] doubles) {
            this(shape, floats, doubles, null);
        }

        /** The values as doubles, whatever the stored type (uint8 read as 0..255). */
        public double[] asDoubles() {
            if (doubles != null) {
                return doubles;
            }
            double[] out = new double[Math.toIntExact(length())];
            for (int i = 0; i < out.length; i++) {
                out[i] = floats != null ? floats[i] : bytes[i] & 0xff;
            }
            return out;
        }

        public long length() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    private Npy() {
    }

    public static void writeFloats(OutputStream out, long[] shape, float[] values) throws IOException {
        writeHeader(out, "<f4", shape);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** uint8 data ("|u1"), e.g. images as OpenAI's evaluator reads them. */
    public static void writeUint8(OutputStream out, long[] shape, byte[] values) throws IOException {
        writeHeader(out, "|u1", shape);
        out.write(values);
    }

    /** int64 data ("<i8"), e.g. class labels. */
    public static void writeInt64(OutputStream out, long[] shape, long[] values) throws IOException {
        writeHeader(out, "<i8", shape);
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buf.putLong(v);
        }
        out.write(buf.array());
    }

    public static void writeDoubles(OutputStream out, long[] shape, double[] values) throws IOException {
        writeHeader(out, "<f8", shape);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putDouble(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    private static void writeHeader(OutputStream out, String descr, long[] shape) throws IOException {
        StringBuilder s = new StringBuilder("(");
        for (long d : shape) {
            s.append(d).append(", ");
        }
        if (shape.length > 1) {
            s.setLength(s.length() - 2);
        } else if (shape.length == 1) {
            s.setLength(s.length() - 1);
        }
        s.append(")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + s + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        int len = header.length();
        out.write(len & 0xff);
        out.write((len >> 8) & 0xff);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
    }

    public static Array read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = new byte[6];
        d.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an .npy array (bad magic)");
        }
        int major = d.readUnsignedByte();
        d.readUnsignedByte();
        int len = major == 1 ? (d.readUnsignedByte() | d.readUnsignedByte() << 8)
                : (d.readUnsignedByte() | d.readUnsignedByte() << 8 | d.readUnsignedByte() << 16
                | d.readUnsignedByte() << 24);
        byte[] h = new byte[len];
        d.readFully(h);
        String header = new String(h, StandardCharsets.US_ASCII);
        Matcher descr = DESCR.matcher(header);
        Matcher shapeM = SHAPE.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        if (!descr.find() || !shapeM.find() || !fortran.find()) {
            throw new IOException("malformed .npy header: " + header.trim());
        }
        if (fortran.group(1).equals("True")) {
            throw new IOException("Fortran-order .npy arrays are not supported");
        }
        String[] dims = shapeM.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        String type = descr.group(1);
        int count = Math.toIntExact(n);
        if (type.equals("<f4")) {
            float[] v = new float[count];
            byte[] bytes = new byte[Math.toIntExact(4L * count)];
            d.readFully(bytes);
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return new Array(shape, v, null);
        } else if (type.equals("<f8")) {
            double[] v = new double[count];
            byte[] bytes = new byte[Math.toIntExact(8L * count)];
            d.readFully(bytes);
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
            return new Array(shape, null, v);
        } else if (type.equals("<i8")) { // integers (class labels) as doubles: exact below 2^53
            byte[] bytes = new byte[Math.toIntExact(8L * count)];
            d.readFully(bytes);
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            double[] v = new double[count];
            for (int i = 0; i < count; i++) {
                v[i] = b.getLong();
            }
            return new Array(shape, null, v);
        } else if (type.equals("|u1") || type.equals("<u1")) {
            byte[] v = new byte[count];
            d.readFully(v);
            return new Array(shape, null, null, v);
        }
        throw new IOException("unsupported .npy dtype " + type + " (OneStep reads <f4, <f8, <i8 and |u1)");
    }

    /** Every array of an .npz archive (a zip of .npy files, stored or deflated), by name without ".npy". */
    public static java.util.Map<String, Array> readNpz(InputStream in) throws IOException {
        java.util.Map<String, Array> out = new java.util.LinkedHashMap<>();
        java.util.zip.ZipInputStream zin = new java.util.zip.ZipInputStream(in);
        java.util.zip.ZipEntry e;
        while ((e = zin.getNextEntry()) != null) {
            String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
            out.put(name, read(zin));
        }
        return out;
    }
}
