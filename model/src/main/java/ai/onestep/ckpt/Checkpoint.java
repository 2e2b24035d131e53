package ai.onestep.ckpt;

import ai.onestep.nn.ParamStore;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue or evaluate a run (format: checkpoints/README.md).
 *
 * @param step       global optimizer step k
 * @param round      Spark round (equals step for single-process training)
 * @param seed       the run's seed
 * @param extra      schedule state, data position and other run-specific values (stored in state.json)
 * @param configJson the resolved configuration of the run
 * @param layout     parameter names and shapes (the state-dict layout)
 * @param model      online parameters, flat
 * @param target     target-network parameters, flat, or null
 * @param emas       EMA rate -> flat parameters
 * @param optimizer  optimizer state, flat ([m; v] for Adam/RAdam), or null
 */
public record Checkpoint(long step, long round, long seed, Map<String, Object> extra, String configJson,
                         List<ParamStore.Spec> layout, INDArray model, INDArray target, Map<Double, INDArray> emas,
                         INDArray optimizer) {
    public Checkpoint {
        extra = Map.copyOf(extra == null ? Map.of() : extra);
        layout = List.copyOf(layout);
        emas = Map.copyOf(emas == null ? Map.of() : emas);
        configJson = configJson == null ? "{}" : configJson;
    }
}
