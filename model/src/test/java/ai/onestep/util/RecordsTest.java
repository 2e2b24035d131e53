package ai.onestep.util;

import ai.onestep.nn.NoiseEmbedding;
import ai.onestep.nn.UNetConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordsTest {
    static Map<String, Object> imagenet64() {
        Map<String, Object> m = new HashMap<>();
        m.put("resolution", 64);
        m.put("inChannels", 3);
        m.put("outChannels", 3);
        m.put("modelChannels", 192);
        m.put("channelMult", List.of(1, 2, 3, 4));
        m.put("numResBlocks", 3);
        m.put("attentionResolutions", List.of(32, 16, 8));
        m.put("numHeadChannels", 64);
        m.put("dropout", 0.0);
        m.put("scaleShiftNorm", true);
        m.put("resblockUpdown", true);
        m.put("numClasses", 1000);
        m.put("embedding", "positional");
        m.put("normGroups", 32);
        m.put("normEps", 1e-5);
        m.put("attentionType", "flash");
        m.put("attentionConv2d", true);
        return m;
    }

    @Test
    void buildsTheSameRecordAsTheFactory() {
        assertEquals(UNetConfig.imagenet64(), Records.fromMap(UNetConfig.class, imagenet64()));
        assertEquals(NoiseEmbedding.POSITIONAL, Records.fromMap(UNetConfig.class, imagenet64()).embedding());
    }

    @Test
    void unknownKeyIsRefusedWithASuggestion() {
        Map<String, Object> m = imagenet64();
        m.put("numResBlock", 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Records.fromMap(UNetConfig.class, m));
        assertTrue(e.getMessage().startsWith("unknown key 'numResBlock' for UNetConfig (did you mean 'numResBlocks'?)"),
                e.getMessage());
    }

    @Test
    void wrongTypesAndRangesNameTheField() {
        Map<String, Object> m = imagenet64();
        m.put("numResBlocks", 2.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Records.fromMap(UNetConfig.class, m));
        assertTrue(e.getMessage().contains("UNetConfig.numResBlocks must be an integer"), e.getMessage());
        m.put("numResBlocks", -1);
        e = assertThrows(IllegalArgumentException.class, () -> Records.fromMap(UNetConfig.class, m));
        assertTrue(e.getMessage().contains("numResBlocks must be > 0"), e.getMessage());
        m.put("numResBlocks", 3);
        m.put("embedding", "gaussian");
        e = assertThrows(IllegalArgumentException.class, () -> Records.fromMap(UNetConfig.class, m));
        assertTrue(e.getMessage().contains("embedding must be one of"), e.getMessage());
    }
}
