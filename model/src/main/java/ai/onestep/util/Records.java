package ai.onestep.util;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a validated config record from a key-value map (parsed JSON or HOCON): unknown keys and missing keys are
 * refused with one line naming them, values are converted to the component types, and the record's own constructor
 * validates ranges.
 */
public final class Records {
    private Records() {
    }

    public static <R extends Record> R fromMap(Class<R> type, Map<String, ?> values) {
        return fromMap(type, values, type.getSimpleName());
    }

    /** As {@link #fromMap(Class, Map)}, naming a field {@code section.component} in messages ("method.kind"). */
    public static <R extends Record> R fromMap(Class<R> type, Map<String, ?> values, String section) {
        RecordComponent[] comps = type.getRecordComponents();
        Set<String> known = new TreeSet<>();
        for (RecordComponent c : comps) {
            known.add(c.getName());
        }
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "' for " + type.getSimpleName()
                        + suggestion(k, known) + " (allowed: " + String.join(", ", known) + ")");
            }
        }
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            types[i] = c.getType();
            if (!values.containsKey(c.getName())) {
                throw new IllegalArgumentException("missing key '" + c.getName() + "' for " + type.getSimpleName());
            }
            args[i] = convert(section + "." + c.getName(), values.get(c.getName()), c.getType());
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(String field, Object v, Class<?> t) {
        try {
            if (t == int.class) {
                return integral(field, v).intValue();
            } else if (t == long.class) {
                return integral(field, v).longValue();
            } else if (t == double.class) {
                return ((Number) v).doubleValue();
            } else if (t == boolean.class) {
                if (v instanceof Boolean b) {
                    return b;
                }
                throw new IllegalArgumentException(field + " must be true or false (got " + v + ")");
            } else if (t == String.class) {
                return String.valueOf(v);
            } else if (t.isEnum()) {
                String s = String.valueOf(v).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
                List<String> spellings = new ArrayList<>();
                for (Object e : t.getEnumConstants()) {
                    if (((Enum) e).name().equals(s)) {
                        return e;
                    }
                    spellings.add(enumSpelling((Enum<?>) e));
                }
                throw new IllegalArgumentException(field + " must be one of " + String.join(", ", spellings)
                        + " (got '" + v + "')");
            } else if (fromConfig(t) != null) {
                try {
                    return fromConfig(t).invoke(null, field, v);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            } else if (t == List.class) {
                List<Object> out = new ArrayList<>();
                for (Object o : (List<?>) v) {
                    out.add(o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                            ? (Object) n.intValue() : o);
                }
                return out;
            }
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(field + " has the wrong type (got " + v + ")");
        }
        throw new IllegalArgumentException(field + ": unsupported type " + t.getSimpleName());
    }

    /**
     * A component type that reads itself from a configuration value has {@code static T fromConfig(String field,
     * Object value)} (for values that are a number or a named choice, such as {@code huberC = ict}); null otherwise.
     */
    private static java.lang.reflect.Method fromConfig(Class<?> t) {
        try {
            java.lang.reflect.Method m = t.getMethod("fromConfig", String.class, Object.class);
            return java.lang.reflect.Modifier.isStatic(m.getModifiers()) && t.isAssignableFrom(m.getReturnType()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Number integral(String field, Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n;
        }
        throw new IllegalArgumentException(field + " must be an integer (got " + v + ")");
    }

    /** " (did you mean 'x'?)" for the known key closest in edit distance, when it is close. */
    public static String suggestion(String key, Set<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best != null && bestD <= Math.max(2, key.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The constant of {@code type} a configuration spells {@code value}; one line naming the choices otherwise. */
    public static <E extends Enum<E>> E enumValue(String field, Object value, Class<E> type) {
        return type.cast(convert(field, value, type));
    }

    /** How a configuration writes an enum constant: its name in lower case, '_' written '-' ("pseudo-huber"). */
    public static String enumSpelling(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
