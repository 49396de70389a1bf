package io.tributary.sink.hudi;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hudi.common.model.HoodieKey;
import org.apache.hudi.common.util.SerializationUtils;
import org.junit.jupiter.api.Test;

/**
 * Hudi's Kryo 4 (relocated in tributary-hudi-bundle) and Flink's Kryo 2.24 live side by side on this classpath, as
 * on a Flink cluster (STACK.md pitfall 3).
 */
class HudiBundleTest {

  @Test
  void hudiSerializesWithItsOwnRelocatedKryoNextToFlinks() throws Exception {
    HoodieKey key = new HoodieKey("id:42", "region=eu");

    byte[] bytes = SerializationUtils.serialize(key);

    assertThat(SerializationUtils.<HoodieKey>deserialize(bytes)).isEqualTo(key);
    assertThat(Class.forName("io.tributary.hudi.shaded.com.esotericsoftware.kryo.Kryo")).isNotNull();
    Class<?> flinkKryo = Class.forName("com.esotericsoftware.kryo.Kryo");
    assertThat(flinkKryo.getProtectionDomain().getCodeSource().getLocation().toString())
        .as("the unrelocated Kryo is Flink's 2.24, not Hudi's")
        .contains("kryo-2.24");
  }
}
