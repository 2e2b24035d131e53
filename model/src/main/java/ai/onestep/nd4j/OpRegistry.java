package ai.onestep.nd4j;

import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;

/**
 * Points ND4J's registry of op classes at a subclass of one of its ops. SameDiff builds a gradient graph from a copy of
 * the forward graph made by serialising each op and creating it again from this registry, so an op subclass's own
 * {@code doDiff} (its backward pass) is used only when the registry names the subclass. Forward execution is unchanged:
 * the subclass keeps the native op's name and hash. OneStep's own Java ops ({@link JavaOps#all()}) are registered the
 * same way, under their own names and hashes, when the hook is installed.
 */
public final class OpRegistry {
    private OpRegistry() {
    }

    /**
     * From now on, every {@code op.opName()} op recreated by ND4J is a {@code subclass}, its properties (axes,
     * epsilon...) restored into the superclass's fields as for the op itself.
     */
    @SuppressWarnings("unchecked")
    static synchronized void replace(DynamicCustomOp op, Class<? extends DynamicCustomOp> subclass) {
        try {
            DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
            Map<Long, Map<String, Class<?>>> byHash = (Map<Long, Map<String, Class<?>>>) field(holder,
                    "customOpHashToClasses");
            Map<String, Class<?>> byName = new HashMap<>(byHash.getOrDefault(op.opHash(), Map.of()));
            byName.put(op.opName(), subclass);
            byHash.put(op.opHash(), byName);
            Map<String, Map<String, Field>> fields = (Map<String, Map<String, Field>>) field(holder,
                    "fieldsForFunction");
            fields.put(subclass.getName(), holder.getFieldsForFunction(op));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot register " + subclass.getSimpleName() + " for ND4J's "
                    + op.opName() + " op (DifferentialFunctionClassHolder changed?): " + e, e);
        }
    }

    private static Object field(DifferentialFunctionClassHolder holder, String name)
            throws ReflectiveOperationException {
        Field f = DifferentialFunctionClassHolder.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(holder);
    }
}
