package io.tributary.sink.hudi;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** The writer's state types are Flink POJOs, so their state never depends on Kryo. */
class HudiStateTypesTest {

  @Test
  void bufferedRowsAndPendingCommitsArePojos() {
    assertThat(TypeInformation.of(BufferedRow.class)).isInstanceOf(PojoTypeInfo.class);
    assertThat(TypeInformation.of(PendingCommit.class)).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void eventsAreKeyedByTable() throws Exception {
    assertThat(new HudiPipelineSink.TableKey().getKey(TestData.insert(1, 1, 1))).isEqualTo("shop.public.orders");
  }
}
