package ai.onestep.conf;

import ai.onestep.nn.AttentionType;
import ai.onestep.nn.DenoiserGraph;
import ai.onestep.nn.UNet;
import ai.onestep.nn.UNetConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A configuration written before the UNet followed the original's conventions (it carries newAttentionOrder) is read
 * as what its checkpoints were trained with; today's defaults are the original's.
 */
class OlderConfigTest {
    private static UNetConfig unet(String hocon) {
        return ((UNet) TrainConfig.parse("data.path = x\n" + hocon, List.of()).network()).config();
    }

    @Test
    void olderConfigurationsKeepTheirAttentionLayoutAndEpsilon() {
        UNetConfig old = unet("network.unet { attentionResolutions = [16], newAttentionOrder = false }");
        assertEquals(AttentionType.LEGACY, old.attentionType());
        assertFalse(old.attentionConv2d());
        assertEquals(1e-12, old.normEps());
        assertArrayEquals(new long[]{384, 128, 1}, DenoiserGraph.layout(new UNet(old)).spec("input_blocks.3.1.qkv.weight")
                .shape(), "the [out, in, 1] projections their checkpoints hold");
        assertEquals(AttentionType.FLASH, unet("network.unet.newAttentionOrder = true").attentionType());
    }

    @Test
    void todaysDefaultsAreTheOriginals() {
        UNetConfig now = unet("network.unet.attentionResolutions = [16]");
        assertEquals(AttentionType.FLASH, now.attentionType());
        assertTrue(now.attentionConv2d());
        assertEquals(1e-5, now.normEps());
        assertArrayEquals(new long[]{384, 128, 1, 1}, DenoiserGraph.layout(new UNet(now))
                .spec("input_blocks.3.1.qkv.weight").shape());
    }
}
