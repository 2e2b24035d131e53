package ai.onestep.files;

import org.apache.hadoop.conf.Configuration;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** A Hadoop Configuration that can travel to executors (Configuration itself is not Serializable). */
public final class HadoopConf implements Serializable {
    private final HashMap<String, String> entries = new HashMap<>();
    private transient Configuration conf;

    public HadoopConf(Configuration conf) {
        for (Map.Entry<String, String> e : conf) {
            entries.put(e.getKey(), e.getValue());
        }
        this.conf = conf;
    }

    public Configuration get() {
        if (conf == null) {
            Configuration c = new Configuration(false);
            entries.forEach(c::set);
            conf = c;
        }
        return conf;
    }
}
