package ai.onestep.nd4j;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Whether graphs may contain {@link JavaOp}s, and the hook that runs them. SameDiff executes every custom op through
 * {@code Nd4j.exec(op, context)}, that is through ND4J's process-wide op executioner, which hands it to libnd4j by
 * the op's hash. The first call to {@link #enabled()} wraps that executioner (a proxy of its interface, so any
 * backend's) in one that computes {@link JavaOp}s in Java and passes every other call through unchanged.
 * <p>Enabled when ND4J runs on the CPU (a Java kernel reads the arrays' memory directly), the JVM was started with
 * {@code --add-modules=jdk.incubator.vector} (the kernels are written with the Vector API; {@code bin/onestep}, the
 * tests and the standalone-cluster test's executors pass it, from the build's {@code java17.opens}),.
 * Otherwise graphs are built from ND4J's own ops, which compute the same functions.
 */
final class JavaOps {
    private static volatile String state; // "on", or why not

    private JavaOps() {
    }

    /** True when graphs built now may use {@link JavaOp}s (see the class comment); installs the hook on first use. */
    static boolean enabled() {
        return describe().equals("on");
    }

    /** "on", or "off: " and the reason. */
    static String describe() {
        String s = state;
        if (s == null) {
            synchronized (JavaOps.class) {
                if (state == null) {
                    state = install();
                }
                s = state;
            }
        }
        return s;
    }

    private static String install() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "off: the JVM was started without --add-modules=jdk.incubator.vector";
        }
        if (Nd4j.getExecutioner().type() != OpExecutioner.ExecutionerType.NATIVE_CPU) {
            return "off: ND4J's backend is " + Nd4j.getExecutioner().type() + ", not the CPU";
        }
        try {
            Field field = Nd4j.class.getDeclaredField("OP_EXECUTIONER_INSTANCE");
            field.setAccessible(true);
            OpExecutioner native_ = (OpExecutioner) field.get(null);
            if (!Proxy.isProxyClass(native_.getClass())) {
                field.set(null, Proxy.newProxyInstance(JavaOps.class.getClassLoader(),
                        new Class<?>[]{OpExecutioner.class}, new Router(native_)));
            }
            for (JavaCustomOp op : all()) {
                OpRegistry.replace(op, op.getClass());
            }
            return "on";
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // a different ND4J: its own ops still compute everything
            return "off: cannot hook ND4J's op executioner (" + e + ")";
        }
    }

    /**
     * One instance of each of OneStep's Java ops. The hook lists them among the executioner's custom ops and registers
     * them with ND4J's op classes ({@link OpRegistry}); SameDiff's copy of a graph for its backward pass needs both.
     */
    static List<JavaCustomOp> all() {
        return List.of(new SiluOp(), new GroupNormOp(), new GroupNormBpOp(), new Resample2xOp());
    }

    /** One block of memory in row-major order, as the kernels read and write arrays. */
    static boolean dense(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1 && !a.isEmpty();
    }

    /** An input as the kernels read it: the array itself when dense, else a dense copy. */
    static INDArray denseInput(INDArray a) {
        return dense(a) ? a : a.dup('c');
    }

    /**
     * Runs {@code kernel(in, out)} on dense forms of input x and output y: a dense copy of x if needed, and a dense
     * scratch array in place of y if y is not dense, copied into y afterwards.
     */
    static void withDense(INDArray x, INDArray y, BiConsumer<INDArray, INDArray> kernel) {
        INDArray out = dense(y) ? y : Nd4j.createUninitialized(y.dataType(), y.shape(), 'c');
        kernel.accept(denseInput(x), out);
        if (out != y) {
            y.assign(out);
        }
    }

    /**
     * Elements [from, from + len) of a float or double array's memory, counted from the array's offset, as a
     * native-order byte buffer (a view: writes go to the array). At most 2^31 bytes.
     */
    static ByteBuffer memory(INDArray a, long from, long len) {
        long start = a.offset() + from;
        // getPointer moves the address; a position would only become the buffer's position, which absolute reads
        // and writes ignore
        Pointer at = switch (a.dataType()) {
            case FLOAT -> new FloatPointer(a.data().pointer()).getPointer(start);
            case DOUBLE -> new DoublePointer(a.data().pointer()).getPointer(start);
            default -> throw new IllegalArgumentException("java kernels: unsupported data type " + a.dataType());
        };
        return at.limit(len).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * Sends {@code exec(CustomOp[, OpContext])} of a {@link JavaOp} to its Java code, and adds the Java ops to the
     * table of custom ops by name (SameDiff's serialisation, which copies a graph for its backward pass, finds an op's
     * hash there); everything else goes to ND4J.
     */
    private static final class Router implements InvocationHandler {
        private final OpExecutioner delegate;
        private Map<String, CustomOpDescriptor> customOps;

        Router(OpExecutioner delegate) {
            this.delegate = delegate;
        }

        private synchronized Map<String, CustomOpDescriptor> customOps() {
            if (customOps == null) {
                Map<String, CustomOpDescriptor> all = new HashMap<>(delegate.getCustomOperations());
                for (JavaCustomOp op : all()) {
                    all.put(op.opName(), new CustomOpDescriptor(op.opHash(), -1, -1, false, -1, -1));
                }
                customOps = Collections.unmodifiableMap(all);
            }
            return customOps;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (args == null && method.getName().equals("getCustomOperations")) {
                return customOps();
            }
            if (args != null && args.length > 0 && args[0] instanceof JavaOp op && method.getName().equals("exec")) {
                CustomOp custom = (CustomOp) op;
                INDArray[] inputs;
                INDArray[] outputs;
                if (args.length == 2 && args[1] instanceof OpContext context) {
                    inputs = context.getInputArrays().toArray(new INDArray[0]);
                    outputs = context.getOutputArrays().toArray(new INDArray[0]);
                } else {
                    inputs = custom.inputArguments().toArray(new INDArray[0]);
                    outputs = custom.outputArguments().toArray(new INDArray[0]);
                    if (outputs.length == 0) { // Nd4j.exec(op) with no outputs given allocates them
                        outputs = custom.calculateOutputShape().stream().map(Nd4j::create).toArray(INDArray[]::new);
                        for (INDArray out : outputs) {
                            custom.addOutputArgument(out);
                        }
                    }
                }
                op.compute(inputs, outputs);
                return outputs;
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
