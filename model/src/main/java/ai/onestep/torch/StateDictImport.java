package ai.onestep.torch;

import ai.onestep.ckpt.Checkpoint;
import ai.onestep.conf.MethodSettings;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.AttentionType;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.ParamStore;
import ai.onestep.nn.UNet;
import ai.onestep.nn.UNetConfig;
import ai.onestep.util.Records;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A state dict of the original UNetModel as a OneStep checkpoint: the architecture read from its shapes, the
 * configuration of the matching preset when the file has a published name (else the reference defaults for its
 * kind), and the tensors as the checkpoint's parameters, names and shapes checked one by one.
 */
public final class StateDictImport {
    /** The original's default channels per attention head ({@code num_head_channels} in launch.sh). */
    public static final int ORIGINAL_HEAD_CHANNELS = 64;

    /**
     * What shapes cannot tell.
     *
     * @param fileName     the source's file name (a published name sets kind, image size and preset)
     * @param kind         what trained it; null to take it from a published name
     * @param imageSize    the image side; 0 to take it from a published name
     * @param headChannels channels per attention head
     */
    public record Options(String fileName, MethodSettings.Kind kind, int imageSize, int headChannels) {
        public Options {
            if (imageSize < 0 || headChannels <= 0) {
                throw new IllegalArgumentException("--image-size must be > 0 and --head-channels > 0");
            }
        }
    }

    /** The imported checkpoint and the configuration it carries. */
    public record Imported(TrainConfig config, Checkpoint checkpoint, java.util.Optional<PublishedName> published) {
    }

    private StateDictImport() {
    }

    public static Imported of(Map<String, TorchTensor> dict, Options o) {
        java.util.Optional<PublishedName> published = PublishedName.of(o.fileName());
        MethodSettings.Kind kind = o.kind() != null ? o.kind() : published.map(PublishedName::kind).orElseThrow(() ->
                new IllegalArgumentException(o.fileName() + " is not a published checkpoint's name: say what trained "
                        + "it with --kind edm|cd|ct"));
        int size = o.imageSize() > 0 ? o.imageSize() : published.map(PublishedName::imageSize).orElseThrow(() ->
                new IllegalArgumentException(o.fileName() + " is not a published checkpoint's name: give the image "
                        + "side with --image-size N"));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        dict.forEach((k, v) -> shapes.put(k, v.shape()));
        UNetConfig net = Architecture.infer(shapes, size, o.headChannels(), AttentionType.FLASH);
        List<String> overrides = new ArrayList<>(overrides(net));
        overrides.add("method.kind=" + Records.enumSpelling(kind));
        TrainConfig config = published.filter(p -> p.kind() == kind)
                .map(p -> TrainConfig.load("preset:" + p.preset(), overrides, ai.onestep.conf.Locations.LOCAL))
                .orElseGet(() -> TrainConfig.parse("data.path = \"unknown: imported from " + o.fileName() + "\"",
                        overrides));
        List<ParamStore.Spec> layout = DenoiserGraph.layout(new UNet(net)).specs();
        INDArray flat = parameters(dict, layout);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("imported", o.fileName());
        Checkpoint c = new Checkpoint(0, 0, 0, extra, config.json(), layout, flat, null, Map.of(), null);
        return new Imported(config, c, published);
    }

    /** The tensors in the layout's order, after checking that names and shapes are exactly the layout's. */
    public static INDArray parameters(Map<String, TorchTensor> dict, List<ParamStore.Spec> layout) {
        Set<String> expected = layout.stream().map(ParamStore.Spec::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(dict.keySet());
        Set<String> unexpected = new TreeSet<>(dict.keySet());
        unexpected.removeAll(expected);
        List<String> wrongShape = new ArrayList<>();
        for (ParamStore.Spec s : layout) {
            TorchTensor t = dict.get(s.name());
            if (t != null && !Arrays.equals(t.shape(), s.shape())) {
                wrongShape.add(s.name() + " " + Arrays.toString(t.shape()) + " (expected " + Arrays.toString(s.shape())
                        + ")");
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            throw new IllegalArgumentException("the state dict does not fit the architecture its shapes suggest: "
                    + list("missing", missing) + list("unexpected", unexpected) + list("shape", wrongShape));
        }
        long total = layout.stream().mapToLong(ParamStore.Spec::length).sum();
        INDArray flat = Nd4j.createUninitialized(DataType.FLOAT, total);
        for (ParamStore.Spec s : layout) {
            float[] v = dict.get(s.name()).values();
            ParamStore.view(flat, s).assign(Nd4j.createFromArray(v).reshape(s.shape()));
        }
        return flat;
    }

    private static String list(String what, java.util.Collection<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        List<String> shown = names.stream().limit(6).toList();
        return what + " (" + names.size() + "): " + String.join(", ", shown)
                + (names.size() > shown.size() ? ", ..." : "") + "; ";
    }

    /** network.unet.KEY=VALUE for every field of the inferred configuration. */
    static List<String> overrides(UNetConfig net) {
        List<String> out = new ArrayList<>();
        for (java.lang.reflect.RecordComponent rc : UNetConfig.class.getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(net);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String text = v instanceof Enum<?> e ? Records.enumSpelling(e) : v instanceof List<?> l
                    ? l.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]")) : String.valueOf(v);
            out.add("network.unet." + rc.getName() + "=" + text);
        }
        out.add("network.kind=unet");
        return out;
    }
}
