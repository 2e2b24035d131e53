package ai.onestep.data.source;

import ai.onestep.image.ImageDecoder;
import ai.onestep.image.SkippedImageException;
import ai.onestep.image.Outcome;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Txn;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An LSUN category as distributed ({@code bedroom_train_lmdb/} holding {@code data.mdb}: keys are image ids, values
 * WebP images), or its exported-folder form (any folder of images). The LMDB must be a local path readable on the
 * driver and on every executor (a shared file system or a copy per node); LMDB cannot be read through HDFS.
 * Items are unlabelled; the key is the LMDB key.
 */
public record LsunSource(String input, String category) implements ImageSource {
    @Override
    public String name() {
        return "lsun";
    }

    private File lmdbDir() {
        String local = new Path(input).toUri().getPath();
        File dir = new File(local);
        return new File(dir, "data.mdb").isFile() ? dir : null;
    }

    private FolderSource exported() {
        return new FolderSource(input, false);
    }

    static Env<ByteBuffer> openEnv(File dir) {
        return Env.create().setMapSize(1L << 40).setMaxReaders(64)
                .open(dir, EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NOTLS);
    }

    @Override
    public Listing list(Configuration conf) throws IOException {
        File dir = lmdbDir();
        if (dir == null) {
            return exported().list(conf);
        }
        List<Item> items = new ArrayList<>();
        try (Env<ByteBuffer> env = openEnv(dir)) {
            Dbi<ByteBuffer> db = env.openDbi((byte[]) null);
            try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> it = db.iterate(txn, KeyRange.all())) {
                for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                    byte[] key = new byte[kv.key().remaining()];
                    kv.key().get(key);
                    String printable = new String(key, StandardCharsets.US_ASCII);
                    boolean ascii = printable.chars().allMatch(ch -> ch > 32 && ch < 127 && ch != '/');
                    items.add(new Item(ascii ? printable : HexFormat.of().formatHex(key), -1, HexFormat.of().formatHex(key)));
                }
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("LMDB holds no records: " + dir);
        }
        return new Listing(items, List.of(), 3);
    }

    @Override
    public ItemReader open(Configuration conf, ImageDecoder decoder) throws IOException {
        File dir = lmdbDir();
        if (dir == null) {
            return exported().open(conf, decoder);
        }
        Env<ByteBuffer> env = openEnv(dir);
        Dbi<ByteBuffer> db = env.openDbi((byte[]) null);
        Txn<ByteBuffer> txn = env.txnRead();
        ByteBuffer keyBuf = ByteBuffer.allocateDirect(env.getMaxKeySize());
        return new ItemReader() {
            @Override
            public ImageDecoder.Decoded read(Item item) throws SkippedImageException {
                byte[] key = HexFormat.of().parseHex(item.locator());
                keyBuf.clear();
                keyBuf.put(key).flip();
                ByteBuffer v = db.get(txn, keyBuf);
                if (v == null) {
                    throw new SkippedImageException(Outcome.UNREADABLE, item.key() + ": key vanished from the LMDB");
                }
                byte[] bytes = new byte[v.remaining()];
                v.get(bytes);
                return decoder.decode(bytes, item.key());
            }

            @Override
            public void close() {
                txn.close();
                env.close();
            }
        };
    }

    @Override
    public String describe() {
        File dir = lmdbDir();
        return "LSUN " + (category == null ? "" : category + " ") + (dir != null ? "LMDB " + dir : "exported folder " + input);
    }
}
