package ai.onestep.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading torch.save files: float16 storages, and the files that must be refused with one clear line. */
class TorchFileTest {
    @TempDir
    Path dir;

    @Test
    void float16WeightsAreTheFloat32OnesRounded() throws Exception {
        Map<String, TorchTensor> f32 = TorchFile.readStateDict(OpenAiParityTest.fixture("imagenet64-like.pt"));
        Map<String, TorchTensor> f16 = TorchFile.readStateDict(OpenAiParityTest.fixture("imagenet64-like-fp16.pt"));
        assertEquals(f32.keySet(), f16.keySet());
        double worst = 0;
        for (String k : f32.keySet()) {
            float[] a = f32.get(k).values();
            float[] b = f16.get(k).values();
            assertEquals(a.length, b.length, k);
            for (int i = 0; i < a.length; i++) {
                // round to nearest binary16: relative error at most 2^-11, absolute 2^-25 among subnormals
                double err = Math.abs(a[i] - b[i]);
                assertTrue(err <= Math.abs(a[i]) * 0x1p-11 + 0x1p-25, k + "[" + i + "]: " + a[i] + " vs " + b[i]);
                worst = Math.max(worst, err);
            }
        }
        assertTrue(worst > 0, "the float16 file holds rounded values");
    }

    @Test
    void halfPrecisionDecodesSubnormalsInfinitiesAndNaN() {
        assertEquals(1.0f, StorageType.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, StorageType.halfToFloat((short) 0xc000));
        assertEquals(0x1p-24f, StorageType.halfToFloat((short) 0x0001));
        assertEquals(65504f, StorageType.halfToFloat((short) 0x7bff));
        assertEquals(Float.NEGATIVE_INFINITY, StorageType.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(StorageType.halfToFloat((short) 0x7e00)));
        assertEquals(-0.0f, StorageType.halfToFloat((short) 0x8000));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x3f80).putShort(2, (short) 0xc0a0); // bfloat16 1.0 and -5.0
        assertEquals(1.0f, StorageType.BFLOAT16.get(b, 0));
        assertEquals(-5.0f, StorageType.BFLOAT16.get(b, 1));
    }

    @Test
    void aFileThatIsNotAPtFileIsRefused() throws IOException {
        Path text = dir.resolve("notes.pt");
        Files.writeString(text, "not a checkpoint");
        String m = assertThrows(TorchFile.BadFileException.class, () -> TorchFile.readStateDict(text)).getMessage();
        assertTrue(m.contains("not a PyTorch file"), m);
        Path missing = dir.resolve("missing.pt");
        m = assertThrows(TorchFile.BadFileException.class, () -> TorchFile.readStateDict(missing)).getMessage();
        assertTrue(m.contains("does not exist"), m);
    }

    @Test
    void aTruncatedFileIsRefused() throws Exception {
        byte[] all = Files.readAllBytes(OpenAiParityTest.fixture("imagenet64-like.pt"));
        Path cut = dir.resolve("cut.pt");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        String m = assertThrows(TorchFile.BadFileException.class, () -> TorchFile.readStateDict(cut)).getMessage();
        assertTrue(m.contains("truncated"), m);
    }

    private Path zipWithPickle(String name, byte[] pickle, Map<String, byte[]> data) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
            z.closeEntry();
            for (Map.Entry<String, byte[]> e : data.entrySet()) {
                z.putNextEntry(new ZipEntry("archive/data/" + e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return p;
    }

    /** Protocol 0 GLOBAL and protocol 4 STACK_GLOBAL asking for os.system: refused before anything is built. */
    @Test
    void aPickleAskingForAnotherGlobalIsRefused() throws IOException {
        byte[] global = "cposix\nsystem\n(S'touch pwned'\ntR.".getBytes(StandardCharsets.ISO_8859_1);
        byte[] stackGlobal = ("\u0080\u0004\u008c\u0005posix\u008c\u0006system\u0093\u008c\u000btouch pwned"
                + "\u0085R.").getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] pickle : new byte[][]{global, stackGlobal}) {
            Path p = zipWithPickle("evil.pt", pickle, Map.of());
            String m = assertThrows(TorchFile.BadFileException.class, () -> TorchFile.readStateDict(p)).getMessage();
            assertTrue(m.contains("'posix.system'") && m.contains("refused"), m);
            assertFalse(Files.exists(dir.resolve("pwned")));
        }
    }

    /** A dict of tensors written by hand the way torch.save writes one: a strided view of a float16 storage. */
    @Test
    void readsAStridedViewOfAStorage() throws IOException {
        // OrderedDict([('w', _rebuild_tensor_v2(storage('0', HalfStorage, numel 6), offset 1, size (2, 2),
        // stride (1, 2), False, OrderedDict()))]), protocol 2
        String pkl = "\u0080\u0002ccollections\nOrderedDict\nq\u0000)Rq\u0001X\u0001\u0000\u0000\u0000w"
                + "ctorch._utils\n_rebuild_tensor_v2\nq\u0002((X\u0007\u0000\u0000\u0000storage"
                + "ctorch\nHalfStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0006tQ"
                + "K\u0001K\u0002K\u0002\u0086K\u0001K\u0002\u0086\u0089ccollections\nOrderedDict\n)Rtq\u0003Rs.";
        byte[] halves = new byte[12];
        short[] values = {0x0000, 0x3c00, 0x4000, 0x4200, 0x4400, 0x4500}; // 0, 1, 2, 3, 4, 5
        for (int i = 0; i < values.length; i++) {
            halves[2 * i] = (byte) values[i];
            halves[2 * i + 1] = (byte) (values[i] >> 8);
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("0", halves);
        Path p = zipWithPickle("strided.pt", pkl.getBytes(StandardCharsets.ISO_8859_1), data);
        TorchTensor w = TorchFile.readStateDict(p).get("w");
        assertEquals(java.util.List.of(2L, 2L), java.util.Arrays.stream(w.shape()).boxed().toList());
        // element (i, j) = storage[1 + i + 2 j]: [[1, 3], [2, 4]]
        assertEquals(java.util.List.of(1f, 3f, 2f, 4f), java.util.List.of(w.values()[0], w.values()[1],
                w.values()[2], w.values()[3]));
        data.put("0", java.util.Arrays.copyOf(halves, 8));
        Path shortStorage = zipWithPickle("short.pt", pkl.getBytes(StandardCharsets.ISO_8859_1), data);
        String m = assertThrows(TorchFile.BadFileException.class, () -> TorchFile.readStateDict(shortStorage))
                .getMessage();
        assertTrue(m.contains("truncated or damaged: storage 0"), m);
    }
}
