package ai.onestep.data.source;

import java.util.List;

/** What a source holds: its items sorted by key, and the class names whose indices the labels are (may be empty). */
public record Listing(List<Item> items, List<String> classes, int channels) {
    public Listing {
        items = List.copyOf(items);
        classes = List.copyOf(classes);
    }
}
