package ai.onestep.serve;

/** A finished image (PNG bytes) with its size, the seconds the model took and a one-line description. */
record Rendered(byte[] png, int width, int height, double seconds, String description) {
}
