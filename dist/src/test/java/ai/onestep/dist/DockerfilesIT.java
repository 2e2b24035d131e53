package ai.onestep.dist;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker engine runs here, so the images are checked as far as files can be: every COPY source of docker/ exists
 * in the build context (the repository root) once the -all jar is built, and each Kubernetes profile names the
 * image that docker/README.md builds with the matching Dockerfile.
 */
class DockerfilesIT {
    static final Path ROOT = SparkDistribution.CONF.getParent();

    @Test
    void everyCopySourceExists() throws Exception {
        for (String dockerfile : List.of("docker/Dockerfile", "docker/Dockerfile.cpu")) {
            Map<String, String> args = new HashMap<>();
            int copies = 0;
            for (String line : Files.readAllLines(ROOT.resolve(dockerfile))) {
                Matcher arg = Pattern.compile("^ARG (\\w+)=(\\S+)$").matcher(line.trim());
                if (arg.matches()) {
                    args.put(arg.group(1), arg.group(2));
                }
                if (line.startsWith("COPY ") && !line.contains("--from=")) {
                    String[] parts = line.substring("COPY ".length()).trim().split("\\s+");
                    for (int i = 0; i < parts.length - 1; i++) {
                        String source = expand(parts[i], args);
                        assertTrue(Files.exists(ROOT.resolve(source)), dockerfile + ": COPY source " + source + " is missing");
                        copies++;
                    }
                }
            }
            assertTrue(copies >= 2, dockerfile + " copies the jar and conf/");
            assertTrue(Files.readString(ROOT.resolve(dockerfile)).contains("ENTRYPOINT [\"/opt/entrypoint.sh\"]")
                    || dockerfile.endsWith(".cpu"), dockerfile + " keeps Spark's entrypoint convention");
        }
    }

    @Test
    void kubernetesProfilesNameTheImagesTheReadmeBuilds() throws Exception {
        String readme = Files.readString(ROOT.resolve("docker/README.md"));
        for (String kind : List.of("cpu", "gpu")) {
            Properties profile = new Properties();
            try (var in = Files.newBufferedReader(ROOT.resolve("conf/spark/k8s-" + kind + ".conf"))) {
                profile.load(in);
            }
            String image = profile.getProperty("spark.kubernetes.container.image").trim();
            String dockerfile = kind.equals("cpu") ? "docker/Dockerfile.cpu" : "docker/Dockerfile";
            assertTrue(readme.contains("docker build -f " + dockerfile + " -t " + image + " ."),
                    "docker/README.md builds " + image + " from " + dockerfile);
            assertTrue(Files.readString(ROOT.resolve(dockerfile)).contains("-t " + image + " ."),
                    dockerfile + " says how to build " + image);
            assertEquals("local:///opt/onestep/onestep-all.jar", jarIn(ROOT.resolve("conf/spark/k8s-" + kind + ".conf")));
        }
    }

    private static String jarIn(Path profile) throws Exception {
        Matcher m = Pattern.compile("(local://\\S+\\.jar)").matcher(Files.readString(profile));
        assertTrue(m.find(), profile + " shows the submit line with the image's jar");
        return m.group(1);
    }

    private static String expand(String s, Map<String, String> args) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }
}
