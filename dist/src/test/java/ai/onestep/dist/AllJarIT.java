package ai.onestep.dist;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The -all jar against a Spark 3.5 distribution's jars: it shares no class with them (what Spark already ships stays
 * out, what would clash is relocated), carries no Spark, Scala or Hadoop, and holds what a cluster needs of OneStep:
 * the entry point, ND4J's CPU natives and the presets.
 */
class AllJarIT {
    @Test
    void sharesNoClassWithTheDistribution() throws Exception {
        Set<String> ours = classes(SparkDistribution.ALL_JAR);
        Map<String, String> shared = new HashMap<>();
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("onestep.sparkJars")))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                for (String c : classes(jar)) {
                    if (ours.contains(c)) {
                        shared.putIfAbsent(c, jar.getFileName().toString());
                    }
                }
            }
        }
        assertEquals(Map.of(), new TreeSet<>(shared.keySet()).stream().limit(20)
                .collect(Collectors.toMap(c -> c, shared::get)), "classes the -all jar shares with the distribution");
    }

    @Test
    void holdsOneStepAndNotTheCluster() throws Exception {
        try (JarFile jar = new JarFile(SparkDistribution.ALL_JAR.toFile())) {
            assertEquals("ai.onestep.cli.OneStep", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            Set<String> names = jar.stream().map(e -> e.getName()).collect(Collectors.toSet());
            assertTrue(names.contains("onestep/presets/imagenet64-ct.conf"));
            assertTrue(names.contains("onestep/presets/include/imagenet64.conf"));
            assertTrue(names.stream().anyMatch(n -> n.matches("org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64[^/]*/libnd4jcpu\\.so")),
                    "ND4J's linux-x86_64 CPU natives");
            assertTrue(names.contains("ai/onestep/shaded/jackson/databind/ObjectMapper.class"), "Jackson relocated");
            assertEquals(version(jar, "jackson-databind"), version(jar, "jackson-core"), "one Jackson line in the jar");
            for (String prefix : new String[]{"org/apache/spark/", "scala/", "org/apache/hadoop/", "com/fasterxml/",
                    "org/slf4j/", "org/apache/parquet/"}) {
                assertTrue(names.stream().noneMatch(n -> n.startsWith(prefix) && n.endsWith(".class")),
                        "no " + prefix + " classes in the -all jar");
            }
        }
    }

    private static String version(JarFile jar, String artifact) throws IOException {
        var entry = jar.getEntry("META-INF/maven/com.fasterxml.jackson.core/" + artifact + "/pom.properties");
        assertTrue(entry != null, artifact + " is in the jar");
        java.util.Properties p = new java.util.Properties();
        try (var in = jar.getInputStream(entry)) {
            p.load(in);
        }
        return p.getProperty("version");
    }

    private static Set<String> classes(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                    .collect(Collectors.toSet());
        }
    }
}
