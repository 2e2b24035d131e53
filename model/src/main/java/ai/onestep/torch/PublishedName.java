package ai.onestep.torch;

import ai.onestep.conf.MethodSettings;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the name of a checkpoint published with the Consistency Models paper says: {@code edm_imagenet64_ema.pt},
 * {@code cd_bedroom256_lpips.pt}, {@code ct_cat256.pt} and the rest of the twelve.
 *
 * @param kind      what trained it
 * @param dataset   imagenet64, bedroom256 or cat256
 * @param metric    l2 or lpips for CD, empty otherwise
 */
public record PublishedName(MethodSettings.Kind kind, String dataset, String metric) {
    private static final Pattern NAME = Pattern.compile(
            "(edm|cd|ct)_(imagenet64|bedroom256|cat256)(?:_(ema|l2|lpips))?(?:\\.pt)?");

    /** The published names, as the original README lists them. */
    public static final java.util.List<String> ALL = java.util.List.of(
            "edm_imagenet64_ema", "cd_imagenet64_l2", "cd_imagenet64_lpips", "ct_imagenet64",
            "edm_bedroom256_ema", "cd_bedroom256_l2", "cd_bedroom256_lpips", "ct_bedroom256",
            "edm_cat256_ema", "cd_cat256_l2", "cd_cat256_lpips", "ct_cat256");

    /** The name of a file (with or without .pt), when it is one of the published names. */
    public static Optional<PublishedName> of(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        String suffix = m.group(3) == null ? "" : m.group(3);
        boolean cd = m.group(1).equals("cd");
        if (cd != (suffix.equals("l2") || suffix.equals("lpips")) || suffix.equals("ema") != m.group(1).equals("edm")) {
            return Optional.empty();
        }
        return Optional.of(new PublishedName(MethodSettings.Kind.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)),
                m.group(2), cd ? suffix : ""));
    }

    /** The side of the dataset's images. */
    public int imageSize() {
        return Integer.parseInt(dataset.replaceAll("\\D", ""));
    }

    /** The bundled preset that trains this model (conf/NAME.conf). */
    public String preset() {
        return dataset + "-" + prefix() + (metric.isEmpty() ? "" : "-" + metric);
    }

    private String prefix() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The published name, without .pt. */
    public String name() {
        return prefix() + "_" + dataset + (kind == MethodSettings.Kind.EDM ? "_ema" : metric.isEmpty() ? "" : "_" + metric);
    }
}
