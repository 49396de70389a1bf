package io.tributary.config.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.testing.TestLakeSinkFactory;
import io.tributary.config.testing.TestSourceFactory;
import io.tributary.config.testing.TestTopicSinkFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactoryRegistryTest {
  @Test
  void loadsTheFactoriesListedInMetaInfServices() {
    FactoryRegistry registry = FactoryRegistry.load();
    assertThat(registry.sourceIdentifiers()).containsExactly("test-source");
    assertThat(registry.sinkIdentifiers()).containsExactly("test-lake", "test-topic");
    assertThat(registry.source("test-source")).get().isInstanceOf(TestSourceFactory.class);
    assertThat(registry.sink("test-lake")).get().isInstanceOf(TestLakeSinkFactory.class);
    assertThat(registry.sink("kafka")).isEmpty();
    assertThat(registry.sinkFactories()).extracting(Factory::identifier).containsExactly("test-lake", "test-topic");
  }

  @Test
  void explicitListsAndUnknownTypes() {
    FactoryRegistry registry = FactoryRegistry.of(List.of(), List.of(new TestTopicSinkFactory()));
    assertThat(registry.requireSink("test-topic")).isInstanceOf(TestTopicSinkFactory.class);
    assertThatThrownBy(() -> registry.requireSink("hudi"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown sink type 'hudi'; known types: test-topic");
    assertThatThrownBy(() -> registry.requireSource("postgres"))
        .hasMessage("Unknown source type 'postgres'; known types: (none registered)");
  }

  @Test
  void duplicateIdentifiersAreRejected() {
    assertThatThrownBy(
            () -> FactoryRegistry.of(List.of(new TestSourceFactory(), new TestSourceFactory()), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Two source factories have the identifier 'test-source': "
                + TestSourceFactory.class.getName()
                + " and "
                + TestSourceFactory.class.getName()
                + "; remove one of them from the classpath");
  }
}
