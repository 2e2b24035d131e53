package ai.onestep.torch;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Unpickles a state dict's {@code data.pkl} allowing only the globals a state dict needs: an ordered dict, the
 * tensor rebuild functions and the storage types. A pickle is a program; any other global (a function to call, a
 * class to build) is refused before anything is constructed, and so are the opcodes that name a global without
 * these checks (INST, OBJ, the extension registry).
 */
final class RestrictedUnpickler extends Unpickler {
    /** A storage the pickle points at by persistent id: its type, its key (a file of the archive) and its length. */
    record StorageRef(StorageType type, String key, long numel) {
    }

    /** A tensor as the pickle describes it: a view of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {
    }

    private final Function<StorageRef, StorageRef> storages;

    /** @param storages called for every storage the pickle refers to (it may check the key exists). */
    RestrictedUnpickler(Function<StorageRef, StorageRef> storages) {
        this.storages = storages;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(allowed(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(allowed(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINPERSID -> {
                stack.add(storage(stack.pop()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                Object target = stack.peek();
                if (!(target instanceof Map)) {
                    throw new PickleException("the pickle sets the state of a " + describe(target)
                            + ", which a state dict never does");
                }
                return NO_RETURN_VALUE; // an OrderedDict's state is its _metadata (module versions): not needed
            }
            case Opcodes.INST, Opcodes.OBJ, Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4, Opcodes.PERSID -> throw
                    new PickleException("the pickle uses opcode 0x" + Integer.toHexString(key)
                            + ", which a state dict saved by torch.save does not");
            default -> {
                return super.dispatch(key);
            }
        }
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    private Object allowed(String module, String name) {
        String global = module + "." + name;
        switch (global) {
            case "collections.OrderedDict":
                return (IObjectConstructor) args -> new LinkedHashMap<>();
            case "torch._utils._rebuild_tensor_v2":
                return (IObjectConstructor) RestrictedUnpickler::tensor;
            case "torch._utils._rebuild_parameter":
                return (IObjectConstructor) args -> args[0];
            default:
                if (module.equals("torch") && StorageType.byGlobal(name) != null) {
                    return StorageType.byGlobal(name);
                }
                throw new DisallowedGlobalException(global);
        }
    }

    /** ('storage', type, key, location, numel) */
    private Object storage(Object pid) {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0])
                || !(t[1] instanceof StorageType type) || !(t[4] instanceof Number numel)) {
            throw new PickleException("the pickle refers to an object torch.save does not write: " + describe(pid));
        }
        return storages.apply(new StorageRef(type, String.valueOf(t[2]), numel.longValue()));
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]) */
    private static Object tensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef s) || !(args[1] instanceof Number offset)) {
            throw new PickleException("a tensor the pickle rebuilds has unexpected arguments");
        }
        return new TensorRef(s, offset.longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object tuple) {
        Object[] t = tuple instanceof Object[] a ? a : tuple instanceof List<?> l ? l.toArray() : null;
        if (t == null) {
            throw new PickleException("a tensor's size or stride is not a tuple");
        }
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = ((Number) t[i]).longValue();
        }
        return out;
    }

    /** Thrown when the pickle names a global outside the allowed few. */
    static final class DisallowedGlobalException extends PickleException {
        DisallowedGlobalException(String global) {
            super("the pickle asks for the global '" + global + "', which a state dict does not need; refused "
                    + "(a .pt file is a program, and only a state dict's few globals are allowed)");
        }
    }
}
