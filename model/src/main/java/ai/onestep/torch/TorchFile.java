package ai.onestep.torch;

import ai.onestep.torch.RestrictedUnpickler.StorageRef;
import ai.onestep.torch.RestrictedUnpickler.TensorRef;
import net.razorvine.pickle.PickleException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the state dict of a file written by {@code torch.save} in its zip format (PyTorch 1.6 and later, the format
 * of the published checkpoints): {@code ARCHIVE/data.pkl} pickles the dict, each tensor a view (offset, size,
 * stride) of a storage kept raw, little-endian, in {@code ARCHIVE/data/KEY}. Float32, float64, float16 and bfloat16
 * storages are read, every value converted to float32.
 */
public final class TorchFile {
    /** The first bytes of a pickle (protocol 2) as the legacy, pre-zip torch.save format starts. */
    private static final int PICKLE_PROTO = 0x80;

    private TorchFile() {
    }

    /** Thrown for a file that is not a readable state dict; the message says why in one line. */
    public static final class BadFileException extends IllegalArgumentException {
        BadFileException(String message) {
            super(message);
        }

        BadFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Parameter name -> tensor, in the file's order. */
    public static Map<String, TorchTensor> readStateDict(Path file) throws IOException {
        String where = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new BadFileException(where + " does not exist or is not a file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new BadFileException(where + " is not a PyTorch file in torch.save's zip format ("
                    + (startsLikeLegacyTorch(file) ? "it looks like the legacy pre-1.6 format: re-save it with "
                    + "torch.save(torch.load(f), f2) in PyTorch >= 1.6" : "not a zip archive, or a truncated one")
                    + ")", e);
        }
        try (zip) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
                    .findFirst().orElseThrow(() -> new BadFileException(where
                            + " is a zip archive but not a torch.save file (no data.pkl)"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null && !new String(read(zip, order), java.nio.charset.StandardCharsets.US_ASCII).trim()
                    .equals("little")) {
                throw new BadFileException(where + " stores big-endian tensors, which are not supported");
            }
            Object root;
            RestrictedUnpickler unpickler = new RestrictedUnpickler(ref -> {
                if (zip.getEntry(prefix + "data/" + ref.key()) == null) {
                    throw new PickleException("storage " + ref.key() + " is missing from the archive");
                }
                return ref;
            });
            try (InputStream in = zip.getInputStream(pkl)) {
                root = unpickler.load(in);
            } catch (PickleException | ClassCastException | IndexOutOfBoundsException e) {
                throw new BadFileException(where + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new BadFileException(where + " is truncated or damaged (" + e.getMessage() + ")", e);
            }
            if (!(root instanceof Map<?, ?> dict)) {
                throw new BadFileException(where + " holds a " + (root == null ? "None" : root.getClass()
                        .getSimpleName()) + ", not a state dict (a dict of tensors)");
            }
            Map<String, ByteBuffer> storages = new HashMap<>();
            Map<String, TorchTensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                String name = String.valueOf(e.getKey());
                if (!(e.getValue() instanceof TensorRef t)) {
                    throw new BadFileException(where + ": entry '" + name + "' is not a tensor: the file is not a "
                            + "state dict (for a training checkpoint, save its model's state_dict())");
                }
                ByteBuffer storage = storages.get(t.storage().key());
                if (storage == null) {
                    storage = storage(zip, prefix, t.storage(), where);
                    storages.put(t.storage().key(), storage);
                }
                out.put(name, view(storage, t, name, where));
            }
            return out;
        }
    }

    private static boolean startsLikeLegacyTorch(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == PICKLE_PROTO;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] read(ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static ByteBuffer storage(ZipFile zip, String prefix, StorageRef ref, String where) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "data/" + ref.key());
        byte[] bytes;
        try {
            bytes = read(zip, e);
        } catch (IOException | RuntimeException ex) {
            throw new BadFileException(where + " is truncated or damaged (storage " + ref.key() + ": "
                    + ex.getMessage() + ")", ex);
        }
        if (bytes.length != ref.numel() * ref.type().bytes) {
            throw new BadFileException(where + " is truncated or damaged: storage " + ref.key() + " holds "
                    + bytes.length + " bytes, not the " + ref.numel() * ref.type().bytes + " of "
                    + ref.numel() + " " + ref.type().global + " values");
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values of a strided view, gathered in row-major order. */
    private static TorchTensor view(ByteBuffer storage, TensorRef t, String name, String where) {
        long[] shape = t.shape();
        long[] stride = t.stride();
        long n = TorchTensor.count(shape);
        if (stride.length != shape.length || n > Integer.MAX_VALUE) {
            throw new BadFileException(where + ": tensor '" + name + "' has an unusable size or stride");
        }
        long last = t.offset();
        for (int d = 0; d < shape.length; d++) {
            last += shape[d] == 0 ? 0 : (shape[d] - 1) * stride[d];
        }
        if (n > 0 && (t.offset() < 0 || last >= t.storage().numel())) {
            throw new BadFileException(where + ": tensor '" + name + "' " + Arrays.toString(shape)
                    + " reaches outside its storage");
        }
        float[] values = new float[(int) n];
        long[] index = new long[shape.length];
        long at = t.offset();
        StorageType type = t.storage().type();
        for (int i = 0; i < n; i++) {
            values[i] = type.get(storage, at);
            for (int d = shape.length - 1; d >= 0; d--) { // odometer over the indices, last dimension fastest
                index[d]++;
                at += stride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                at -= index[d] * stride[d];
                index[d] = 0;
            }
        }
        return new TorchTensor(shape, values);
    }
}
