package ai.onestep.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * Where a preset's text comes from: {@code preset:NAME} is one of the presets shipped inside the jar (the files of
 * {@code conf/}); anything else is opened through the caller's {@link Locations} (local paths, or any Hadoop URI
 * in the Spark jobs). A preset's {@code include "include/x.conf"} is read from the same place, relative to the
 * preset, so a cluster-mode driver needs no shared disk.
 */
public final class PresetSource {
    /** The prefix naming a preset shipped inside the jar. */
    public static final String BUNDLED = "preset:";
    static final String RESOURCE_DIR = "onestep/presets/";

    private PresetSource() {
    }

    /** Parses the preset at {@code location} with its includes. */
    static Config parse(String location, Locations locations) {
        String text = read(location, locations);
        ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false)
                .setOriginDescription(location).setIncluder(new Includer(location, locations));
        return ConfigFactory.parseString(text, options);
    }

    /** The preset's file name without {@code .conf} (a run's default directory name). */
    public static String name(String location) {
        String s = location.startsWith(BUNDLED) ? location.substring(BUNDLED.length()) : location;
        s = s.substring(s.lastIndexOf('/') + 1);
        return s.endsWith(".conf") ? s.substring(0, s.length() - ".conf".length()) : s;
    }

    /** The names of the presets shipped inside the jar (listed from the jar or the classes directory). */
    public static TreeSet<String> bundled() {
        TreeSet<String> names = new TreeSet<>();
        java.net.URL dir = PresetSource.class.getClassLoader().getResource(RESOURCE_DIR);
        try {
            if (dir == null) {
                return names;
            }
            if (dir.getProtocol().equals("jar")) {
                try (java.util.jar.JarFile jar = ((java.net.JarURLConnection) dir.openConnection()).getJarFile()) {
                    jar.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.startsWith(RESOURCE_DIR))
                            .map(n -> n.substring(RESOURCE_DIR.length())).forEach(n -> addPreset(names, n));
                }
            } else {
                try (var files = java.nio.file.Files.list(java.nio.file.Path.of(dir.toURI()))) {
                    files.forEach(f -> addPreset(names, f.getFileName().toString()));
                }
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list the presets in the jar: " + e.getMessage(), e);
        }
        return names;
    }

    private static void addPreset(TreeSet<String> names, String file) {
        if (file.endsWith(".conf") && !file.contains("/")) {
            names.add(file.substring(0, file.length() - ".conf".length()));
        }
    }

    static String read(String location, Locations locations) {
        if (location.startsWith(BUNDLED)) {
            String name = location.substring(BUNDLED.length());
            String resource = RESOURCE_DIR + (name.endsWith(".conf") ? name : name + ".conf");
            try (InputStream in = PresetSource.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("no preset '" + name + "' in the jar"
                            + TrainConfig.suggest(name, bundled()) + " (presets: " + String.join(", ", bundled()) + ")");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read preset " + location + ": " + e.getMessage(), e);
            }
        }
        try (InputStream in = locations.open(location)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("config file does not exist: " + location, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + location + ": " + e.getMessage(), e);
        }
    }

    /** The location of {@code relative} next to {@code base} (same source, same directory). */
    static String sibling(String base, String relative) {
        int slash = base.lastIndexOf('/');
        int prefix = base.startsWith(BUNDLED) ? BUNDLED.length() - 1 : -1;
        return slash > prefix ? base.substring(0, slash + 1) + relative : (prefix >= 0 ? BUNDLED : "") + relative;
    }

    /**
     * Resolves {@code include "x"} relative to the including preset, through the same source; the qualified forms
     * {@code include file(...)}, {@code url(...)} and {@code classpath(...)} mean what HOCON says they mean.
     */
    private record Includer(String base, Locations locations)
            implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            String location = sibling(base, what);
            try {
                return parse(location, locations).root();
            } catch (IllegalArgumentException e) {
                throw new ConfigException.IO(ConfigOriginFactory.newSimple(base),
                        "include \"" + what + "\": " + e.getMessage(), e);
            }
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, java.io.File what) {
            return ConfigFactory.parseFile(what, strict()).root();
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, java.net.URL what) {
            return ConfigFactory.parseURL(what, strict()).root();
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            return ConfigFactory.parseResources(what, strict()).root();
        }

        private static ConfigParseOptions strict() {
            return ConfigParseOptions.defaults().setAllowMissing(false);
        }
    }
}
