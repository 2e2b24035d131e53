package ai.onestep.torch;

import ai.onestep.conf.Locations;
import ai.onestep.conf.MethodSettings;
import ai.onestep.train.TrainerConfig;
import ai.onestep.conf.TrainConfig;
import ai.onestep.nn.AttentionType;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.ParamStore;
import ai.onestep.nn.UNet;
import ai.onestep.nn.UNetConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The twelve published names, each with the preset that trains it: a state dict shaped as that preset's network (the
 * published checkpoints' shapes, generated here without weights) is read back as exactly that network, and the
 * presets follow launch.sh where the original differs from a plain reading.
 */
class PublishedPresetsTest {
    @Test
    void everyPublishedNameHasAPresetWhoseShapesReadBackAsItsNetwork() {
        assertEquals(12, PublishedName.ALL.size());
        for (String name : PublishedName.ALL) {
            PublishedName p = PublishedName.of(name + ".pt").orElseThrow(() -> new AssertionError(name));
            assertEquals(name, p.name());
            TrainConfig c = TrainConfig.load("preset:" + p.preset(), List.of(), Locations.LOCAL);
            assertEquals(p.kind(), c.methodSettings().kind(), name);
            UNetConfig net = ((UNet) c.network()).config();
            assertEquals(AttentionType.FLASH, net.attentionType(), name);
            assertTrue(net.attentionConv2d(), name);
            assertEquals(1e-5, net.normEps(), name);
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (ParamStore.Spec s : DenoiserGraph.layout(new UNet(net)).specs()) {
                shapes.put(s.name(), s.shape());
            }
            assertEquals(net.withDropout(0), Architecture.infer(shapes, p.imageSize(),
                    StateDictImport.ORIGINAL_HEAD_CHANNELS, AttentionType.FLASH), name);
        }
    }

    @Test
    void edmPresetsTrainWithRadamAndLaunchShsEmaRates() {
        for (String data : List.of("imagenet64", "bedroom256", "cat256")) {
            TrainConfig c = TrainConfig.load("preset:" + data + "-edm", List.of(), Locations.LOCAL);
            assertEquals(MethodSettings.Kind.EDM, c.methodSettings().kind());
            assertEquals(TrainerConfig.OptimizerKind.RADAM, c.optimizer().kind(), data);
            assertEquals(List.of(0.999, 0.9999, 0.9999432189950708), c.emaRates(), data);
        }
        assertEquals(List.of(0.9999, 0.99994, 0.9999432189950708),
                TrainConfig.load("preset:bedroom256-ct", List.of(), Locations.LOCAL).emaRates());
    }

    @Test
    void namesThatAreNotPublishedAreNotTakenForThem() {
        for (String n : List.of("edm_imagenet64.pt", "cd_imagenet64.pt", "ct_imagenet64_lpips.pt", "cd_cifar10_l2.pt",
                "imagenet64-like.pt")) {
            assertTrue(PublishedName.of(n).isEmpty(), n);
        }
        assertEquals("cat256-cd-l2", PublishedName.of("cd_cat256_l2.pt").orElseThrow().preset());
        assertEquals(256, PublishedName.of("edm_bedroom256_ema").orElseThrow().imageSize());
    }
}
