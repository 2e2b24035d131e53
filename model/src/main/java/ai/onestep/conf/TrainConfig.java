package ai.onestep.conf;

import ai.onestep.loss.Distance;
import ai.onestep.loss.EdmLoss;
import ai.onestep.loss.L1;
import ai.onestep.loss.L2;
import ai.onestep.loss.Lpips;
import ai.onestep.loss.PseudoHuber;
import ai.onestep.loss.Weighting;
import ai.onestep.nn.Mlp;
import ai.onestep.nn.Network;
import ai.onestep.nn.UNet;
import ai.onestep.nn.UNetConfig;
import ai.onestep.sampler.OdeSolver;
import ai.onestep.schedule.CmAdaptiveSchedule;
import ai.onestep.schedule.FixedSchedule;
import ai.onestep.schedule.IctCurriculum;
import ai.onestep.schedule.LognormalIndex;
import ai.onestep.schedule.NoiseIndexSampler;
import ai.onestep.schedule.StepSchedule;
import ai.onestep.schedule.UniformIndex;
import ai.onestep.train.Method;
import ai.onestep.train.TrainerConfig;
import ai.onestep.util.Records;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A resolved, validated training configuration: HOCON (a preset in {@code conf/}, then {@code key=value} overrides)
 * on top of {@code onestep-reference.conf}. Every key is checked against the reference before anything is built, and
 * every section becomes a validated record. The resolved form ({@link #json()}) travels to executors and into
 * checkpoints, so a run is reproducible from it.
 */
public final class TrainConfig {
    private static final Config REFERENCE = ConfigFactory.parseResources(TrainConfig.class, "/onestep-reference.conf",
            ConfigParseOptions.defaults().setAllowMissing(false));
    private static final Set<String> SECTIONS = Set.of("run", "network", "method", "optimizer", "ema", "data");

    private final Config config;
    private final RunSettings run;
    private final MethodSettings method;
    private final OptimizerSettings optimizer;
    private final DataSettings data;
    private final List<Double> emaRates;
    private final NetworkKind networkKind;

    /** The network family a preset trains. */
    public enum NetworkKind { UNET, MLP }

    private TrainConfig(Config config) {
        this.config = config;
        for (Map.Entry<String, ConfigValue> e : config.root().entrySet()) {
            if (!SECTIONS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown section '" + e.getKey() + "'"
                        + suggest(e.getKey(), SECTIONS) + " (sections: " + String.join(", ", new TreeSet<>(SECTIONS)) + ")");
            }
        }
        this.run = section(RunSettings.class, "run");
        this.method = section(MethodSettings.class, "method");
        this.optimizer = section(OptimizerSettings.class, "optimizer");
        this.data = section(DataSettings.class, "data");
        Config ema = config.getConfig("ema");
        checkKeys("ema", ema, Set.of("rates"));
        this.emaRates = new ArrayList<>();
        for (Number n : ema.getNumberList("rates").stream().map(v -> (Number) v).toList()) {
            double r = n.doubleValue();
            if (!(r > 0 && r < 1)) {
                throw new IllegalArgumentException("ema.rates must lie in (0, 1) (got " + r + ")");
            }
            emaRates.add(r);
        }
        Config net = config.getConfig("network");
        checkKeys("network", net, Set.of("kind", "unet", "mlp"));
        this.networkKind = Records.enumValue("network.kind", net.getString("kind"), NetworkKind.class);
        network(); // validates the chosen network now, before any graph is built
        if (data.kind() == DataSettings.Kind.TOY2D && (networkKind != NetworkKind.MLP || network().sampleShape().length != 1)) {
            throw new IllegalArgumentException("data.kind = toy2d needs network.kind = mlp");
        }
    }

    /** Parses HOCON text plus overrides ("run.steps=500") on top of the reference defaults. */
    public static TrainConfig parse(String hocon, List<String> overrides) {
        try {
            return withOverrides(ConfigFactory.parseString(hocon), overrides);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config: " + e.getMessage(), e);
        }
    }

    private static TrainConfig withOverrides(Config parsed, List<String> overrides) {
        try {
            Config user = upgrade(parsed);
            for (String o : overrides) {
                int eq = o.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("override '" + o + "' is not key=value");
                }
                String key = o.substring(0, eq).trim();
                if (!REFERENCE.hasPathOrNull(key)) {
                    throw new IllegalArgumentException("unknown key '" + key + "'" + suggest(key, allPaths()));
                }
                user = ConfigFactory.parseString(key + " = " + quoteIfNeeded(o.substring(eq + 1).trim())).withFallback(user);
            }
            return new TrainConfig(user.withFallback(REFERENCE).resolve());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config: " + e.getMessage(), e);
        }
    }

    private static final String OLD_ATTENTION_ORDER = "network.unet.newAttentionOrder";

    /**
     * The settings of a configuration written before the UNet matched the original's conventions (the one key those
     * carry, {@code newAttentionOrder}) spelled out as today's keys, so older checkpoints load as they were trained:
     * attention projections [out, in, 1], the qkv order that key chose, GroupNorm epsilon 1e-12.
     */
    private static Config upgrade(Config parsed) {
        if (!parsed.hasPath(OLD_ATTENTION_ORDER)) {
            return parsed;
        }
        boolean flash = parsed.getBoolean(OLD_ATTENTION_ORDER);
        return parsed.withoutPath(OLD_ATTENTION_ORDER)
                .withValue("network.unet.attentionType", ConfigValueFactory.fromAnyRef(flash ? "flash" : "legacy"))
                .withValue("network.unet.attentionConv2d", ConfigValueFactory.fromAnyRef(false))
                .withValue("network.unet.normEps", ConfigValueFactory.fromAnyRef(1e-12));
    }

    /** A local preset file (its includes relative to it). */
    public static TrainConfig load(Path file, List<String> overrides) {
        return load(file.toString(), overrides, Locations.LOCAL);
    }

    /**
     * A preset at {@code location}: {@code preset:NAME} (shipped in the jar), or a file opened through {@code locations};
     * its includes are read from the same place ({@link PresetSource}).
     */
    public static TrainConfig load(String location, List<String> overrides, Locations locations) {
        Config parsed;
        try {
            parsed = PresetSource.parse(location, locations);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("config " + location + ": " + e.getMessage(), e);
        }
        return withOverrides(parsed, overrides);
    }

    /** The resolved configuration as one line of JSON. */
    public String json() {
        return config.root().render(ConfigRenderOptions.concise());
    }

    /** The resolved configuration as readable HOCON (for --dry-run). */
    public String pretty() {
        return config.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    }

    public RunSettings run() {
        return run;
    }

    public MethodSettings methodSettings() {
        return method;
    }

    public OptimizerSettings optimizer() {
        return optimizer;
    }

    public DataSettings data() {
        return data;
    }

    public List<Double> emaRates() {
        return List.copyOf(emaRates);
    }

    public NetworkKind networkKind() {
        return networkKind;
    }

    /** The configured network (cheap: a config holder; graphs are built later). */
    public Network network() {
        Config net = config.getConfig("network");
        if (networkKind == NetworkKind.MLP) {
            return new Mlp(record(Mlp.Config.class, "network.mlp", net.getConfig("mlp")));
        }
        Map<String, Object> u = new HashMap<>(net.getConfig("unet").root().unwrapped());
        checkKeys("network.unet", net.getConfig("unet"), recordKeys(UNetConfig.class));
        if (((Number) u.get("outChannels")).intValue() == 0) {
            u.put("outChannels", u.get("inChannels"));
        }
        try {
            return new UNet(Records.fromMap(UNetConfig.class, u));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("network.unet: " + e.getMessage(), e);
        }
    }

    /** The training method with its schedule over the run's total steps (LPIPS weights opened through {@code locations}). */
    public Method method(Locations locations) {
        MethodSettings m = method;
        if (m.kind() == MethodSettings.Kind.EDM) {
            return new Method.Edm(new EdmLoss(m.pMean(), m.pStd(), m.sigmaData()));
        }
        StepSchedule schedule = schedule();
        NoiseIndexSampler indices = m.indices() == MethodSettings.Indices.LOGNORMAL ? LognormalIndex.standard() : new UniformIndex();
        Weighting weighting = m.weighting();
        Distance distance = switch (m.distance()) {
            case L2 -> new L2();
            case L2_32 -> new ai.onestep.loss.L2At32();
            case L1 -> new L1();
            case LPIPS -> LpipsWeights.load(m.lpipsWeights(), locations);
            case PSEUDO_HUBER -> m.huberC().distance();
        };
        if (m.kind() == MethodSettings.Kind.CT) {
            return new Method.ConsistencyTraining(schedule, indices, weighting, distance, m.sigmaData());
        }
        return new Method.ConsistencyDistillation(schedule, indices, weighting, distance,
                m.solver(), m.sigmaData());
    }

    /** The preconditioning of the trained network, with this run's {@code method.sigmaData}. */
    public ai.onestep.precond.Precond precond() {
        double sd = method.sigmaData();
        return method.kind() == MethodSettings.Kind.EDM ? new ai.onestep.precond.EdmPrecond(sd)
                : ai.onestep.precond.ConsistencyPrecond.withSigmaData(sd);
    }

    /** The discretisation curriculum N(k), mu(k) of a consistency method (null for EDM). */
    public StepSchedule schedule() {
        MethodSettings m = method;
        if (m.kind() == MethodSettings.Kind.EDM) {
            return null;
        }
        return switch (m.schedule()) {
            case ICT -> new IctCurriculum(m.s0(), m.s1(), run.steps());
            case CM -> new CmAdaptiveSchedule(m.s0(), m.s1(), m.mu0(), run.steps());
            case FIXED -> new FixedSchedule(m.points(), m.decay());
        };
    }

    public TrainerConfig trainerConfig(Locations locations) {
        return new TrainerConfig(method(locations), optimizer.kind(), optimizer.lr(), optimizer.clipNorm(), emaRates, run.seed(),
                DataType.FLOAT, optimizer.schedule() == OptimizerSettings.LrSchedule.COSINE ? run.steps() : 0);
    }

    private <R extends Record> R section(Class<R> type, String name) {
        return record(type, name, config.getConfig(name));
    }

    private static <R extends Record> R record(Class<R> type, String name, Config c) {
        checkKeys(name, c, recordKeys(type));
        try {
            return Records.fromMap(type, c.root().unwrapped(), name);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            return fail(msg.startsWith(name) ? msg : name + ": " + msg);
        }
    }

    private static <T> T fail(String msg) {
        throw new IllegalArgumentException(msg);
    }

    private static Set<String> recordKeys(Class<? extends Record> type) {
        Set<String> keys = new TreeSet<>();
        for (var c : type.getRecordComponents()) {
            keys.add(c.getName());
        }
        return keys;
    }

    private static void checkKeys(String section, Config c, Set<String> allowed) {
        for (String k : c.root().keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + section + "." + k + "'" + suggest(k, allowed)
                        + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static Set<String> allPaths() {
        Set<String> out = new TreeSet<>();
        REFERENCE.entrySet().forEach(e -> out.add(e.getKey()));
        return out;
    }

    private static String quoteIfNeeded(String v) {
        if (v.startsWith("[") || v.startsWith("\"") || v.matches("-?[0-9.eE+-]+") || v.equals("true") || v.equals("false")) {
            return v;
        }
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String suggest(String key, Set<String> known) {
        return Records.suggestion(key, known);
    }
}
