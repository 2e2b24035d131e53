package ai.onestep.nn;

/**
 * How an attention block's qkv projection orders its 3 x channels output rows (the original's {@code attention_type}).
 * The published checkpoints were trained with {@link #FLASH}.
 */
public enum AttentionType {
    /** Rows (three, heads, head_channels): q of every head, then k, then v (QKVFlashAttention's rearrange). */
    FLASH,
    /** Rows (heads, three, head_channels): each head's q, k and v together (QKVAttentionLegacy). */
    LEGACY
}
