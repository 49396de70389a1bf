/** Main classes run inside child JVMs; not an API. They depend on the JDK (and, for Kafka, Kafka's jars) only. */
package io.tributary.embedded.internal;
