package ai.onestep.cli;

import ai.onestep.ckpt.CheckpointIO;
import ai.onestep.conf.MethodSettings;
import ai.onestep.files.HadoopFiles;
import ai.onestep.torch.StateDictImport;
import ai.onestep.torch.TorchFile;
import ai.onestep.torch.TorchTensor;
import ai.onestep.util.Records;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code onestep import}: a PyTorch state dict of the original UNet (a published checkpoint) as a OneStep checkpoint. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {
                "Imports a state dict saved by torch.save from the original Consistency Models code (the 12 published "
                        + "checkpoints, or your own) as a OneStep checkpoint directory that sample, edit, eval, serve "
                        + "and CD training (an edm_ file as teacher) use.",
                "The architecture is read from the tensors' names and shapes. A published name (edm_imagenet64_ema.pt, "
                        + "cd_bedroom256_lpips.pt, ...) also gives the kind, the image size and the preset; otherwise "
                        + "say --kind and --image-size. The file is read as data: only a state dict's few pickle "
                        + "globals are allowed."})
final class ImportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.pt", description = "the state dict (a local file or any Hadoop URI)")
    String source;

    @Option(names = "--out", required = true, description = "the checkpoint directory to create (URI; must not exist)")
    String out;

    @Option(names = "--kind", description = "what trained it: edm, cd or ct (default: from a published name)")
    String kind;

    @Option(names = "--image-size", defaultValue = "0", description = "image side in pixels (default: from a published name)")
    int imageSize;

    @Option(names = "--head-channels", defaultValue = "" + StateDictImport.ORIGINAL_HEAD_CHANNELS,
            description = "channels per attention head (default: ${DEFAULT-VALUE}, the original's)")
    int headChannels;

    @Option(names = "--name", description = "the checkpoint's name, when the file's own is not its published name")
    String name;

    @Override
    public Integer call() throws IOException {
        Configuration conf = new Configuration();
        Path target = new Path(out.endsWith("/") ? out.substring(0, out.length() - 1) : out);
        FileSystem outFs = target.getFileSystem(conf);
        if (outFs.exists(target)) {
            throw new IllegalArgumentException("import: --out " + target + " exists; nothing written");
        }
        Path parent = target.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("import: --out must name a directory to create, not a root");
        }
        String fileName = name != null ? name : new Path(source).getName();
        StateDictImport.Options options;
        try {
            options = new StateDictImport.Options(fileName, kind == null ? null
                    : Records.enumValue("--kind", kind, MethodSettings.Kind.class), imageSize, headChannels);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("import: " + e.getMessage(), e);
        }
        Map<String, TorchTensor> dict = read(new Path(source), conf);
        StateDictImport.Imported imported;
        try {
            imported = StateDictImport.of(dict, options);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("import: " + source + ": " + e.getMessage(), e);
        }
        dict = null; // the tensors now live in the checkpoint's parameter vector
        if (!outFs.mkdirs(parent)) {
            throw new IllegalArgumentException("import: cannot create " + parent);
        }
        CheckpointIO.saveAs(new HadoopFiles(parent.toString(), conf), target.getName(), imported.checkpoint());
        spec.commandLine().getOut().printf("imported %s: %s, %s, %,d parameters -> %s%n", fileName,
                imported.config().methodSettings().kindName(), imported.config().network().describe(),
                imported.checkpoint().model().length(), target);
        return 0;
    }

    /** The state dict at a local path, or copied from any other file system to a temporary local file first. */
    private static Map<String, TorchTensor> read(Path source, Configuration conf) throws IOException {
        FileSystem fs = source.getFileSystem(conf);
        if (!fs.exists(source)) {
            throw new IllegalArgumentException("import: " + source + " does not exist");
        }
        if (fs instanceof LocalFileSystem localFs) {
            return TorchFile.readStateDict(localFs.pathToFile(source).toPath());
        }
        java.nio.file.Path local = Files.createTempFile("onestep-import-", ".pt");
        try {
            fs.copyToLocalFile(false, source, new Path(local.toUri()), true);
            return TorchFile.readStateDict(local);
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
