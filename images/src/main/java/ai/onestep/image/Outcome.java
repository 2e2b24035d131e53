package ai.onestep.image;

/** Why an input was skipped, or what was done to convert it: the counters of a prep job's manifest and summary. */
public enum Outcome {
    // skipped
    EMPTY_FILE("skipped", "empty-file"),
    NOT_AN_IMAGE("skipped", "not-an-image"),
    CORRUPT("skipped", "corrupt"),
    TRUNCATED("skipped", "truncated"),
    TOO_LARGE("skipped", "too-large"),
    UNREADABLE("skipped", "unreadable"),
    // converted
    CMYK("converted", "cmyk"),
    GRAYSCALE("converted", "grayscale"),
    HIGH_BIT_DEPTH("converted", "16-bit"),
    PALETTE("converted", "palette"),
    ALPHA_DROPPED("converted", "alpha-dropped"),
    EXIF_ROTATED("converted", "exif-rotated"),
    MISNAMED("converted", "format-differs-from-name");

    private final String kind;
    private final String label;

    Outcome(String kind, String label) {
        this.kind = kind;
        this.label = label;
    }

    public boolean skipped() {
        return kind.equals("skipped");
    }

    /** e.g. "skipped:corrupt", "converted:cmyk". */
    public String key() {
        return kind + ":" + label;
    }
}
