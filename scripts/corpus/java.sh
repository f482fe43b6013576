#!/usr/bin/env bash
# Java corpus: small programs that crash in each way the parser must know, plus logback, log4j2 and
# java.util.logging output of logged exceptions (Debian's liblogback-java, libslf4j-java and
# liblog4j2-java jars when present). Output: testdata/stacktraces/java/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
W="$(workdir java)"
OUT="$CORPUS_OUT/java"
SRC="$W/src/com/example/shop"
mkdir -p "$OUT" "$SRC" "$W/classes"

cat >"$SRC/Inventory.java" <<'JAVA'
package com.example.shop;

import java.util.HashMap;
import java.util.Map;

public class Inventory {
  public static class OutOfStockException extends RuntimeException {
    public OutOfStockException(String msg, Throwable cause) { super(msg, cause); }
  }
  private final Map<String, Integer> stock = new HashMap<>();

  public int count(String sku) {
    Integer n = stock.get(sku);
    return n.intValue();
  }

  public void reserve(String sku, int n) {
    try {
      if (count(sku) < n) throw new IllegalStateException("not enough " + sku);
    } catch (NullPointerException e) {
      throw new OutOfStockException("unknown sku " + sku, e);
    }
  }
}
JAVA
# 1. Uncaught in main, with a cause and "... N more".
cat >"$SRC/Checkout.java" <<'JAVA'
package com.example.shop;

public class Checkout {
  static void process(Inventory inv, String sku) {
    try {
      inv.reserve(sku, 2);
    } catch (RuntimeException e) {
      throw new RuntimeException("checkout failed for order 1042", e);
    }
  }
  public static void main(String[] args) {
    System.out.println("checkout started");
    process(new Inventory(), "pear");
  }
}
JAVA
# 2. Suppressed exceptions from try-with-resources (tab-indented "Suppressed:").
cat >"$SRC/Resources.java" <<'JAVA'
package com.example.shop;

import java.io.IOException;

public class Resources {
  static class Conn implements AutoCloseable {
    final String name;
    Conn(String name) { this.name = name; }
    @Override public void close() throws IOException { throw new IOException("close " + name + " failed"); }
  }
  static void work() throws Exception {
    try (Conn a = new Conn("db"); Conn b = new Conn("cache")) {
      throw new IllegalArgumentException("bad payload: {\"id\": 7}");
    }
  }
  public static void main(String[] args) throws Exception {
    work();
  }
}
JAVA
# 3. An uncaught exception in another thread, then the main thread carries on.
cat >"$SRC/Worker.java" <<'JAVA'
package com.example.shop;

import java.util.List;

public class Worker {
  public static void main(String[] args) throws Exception {
    Thread t = new Thread(() -> {
      List<Integer> xs = List.of(1, 2, 3);
      xs.stream().map(x -> 10 / (x - 2)).forEach(System.out::println);
    }, "order-worker-1");
    t.start();
    t.join();
    System.out.println("main thread done");
    Object o = "text";
    Integer i = (Integer) o;
  }
}
JAVA
# 4. printStackTrace of a three-deep cause chain, custom checked exception, nested class.
cat >"$SRC/Chain.java" <<'JAVA'
package com.example.shop;

public class Chain {
  static class PaymentException extends Exception {
    PaymentException(String m, Throwable c) { super(m, c); }
  }
  static int parse(String s) { return Integer.parseInt(s); }
  static int amount(String s) {
    try { return parse(s); } catch (NumberFormatException e) { throw new IllegalArgumentException("bad amount", e); }
  }
  static void pay(String s) throws PaymentException {
    try { amount(s); } catch (IllegalArgumentException e) { throw new PaymentException("payment rejected", e); }
  }
  public static void main(String[] args) {
    for (String s : new String[] {"12", "12,50"}) {
      try {
        pay(s);
        System.out.println("paid " + s);
      } catch (PaymentException e) {
        e.printStackTrace();
      }
    }
    int[] a = new int[3];
    System.out.println(a[5]);
  }
}
JAVA
# 5. Helpful NullPointerException messages and an exception without a message.
cat >"$SRC/Npe.java" <<'JAVA'
package com.example.shop;

import java.util.Map;

public class Npe {
  record Customer(String name, Map<String, String> address) {}
  static String city(Customer c) { return c.address().get("city").toUpperCase(); }
  public static void main(String[] args) {
    try {
      city(new Customer("ada", Map.of()));
    } catch (NullPointerException e) {
      e.printStackTrace();
    }
    try {
      throw new UnsupportedOperationException();
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
    System.out.println(city(null));
  }
}
JAVA
# 6. A stack overflow (1024 frames).
cat >"$SRC/Overflow.java" <<'JAVA'
package com.example.shop;

public class Overflow {
  static int depth(int n) { return depth(n + 1) + 1; }
  public static void main(String[] args) { depth(0); }
}
JAVA
# 7. java.util.logging (two-line records) with a logged exception.
cat >"$SRC/JulLogging.java" <<'JAVA'
package com.example.shop;

import java.util.logging.Level;
import java.util.logging.Logger;

public class JulLogging {
  private static final Logger LOG = Logger.getLogger(JulLogging.class.getName());
  static void charge(String card) {
    if (card.length() < 12) throw new IllegalArgumentException("card number too short: " + card.length());
  }
  public static void main(String[] args) {
    LOG.info("charging 2 cards");
    for (String c : new String[] {"4111111111111111", "4111"}) {
      try {
        charge(c);
      } catch (IllegalArgumentException e) {
        LOG.log(Level.SEVERE, "charge failed", e);
      }
    }
    LOG.warning("1 charge failed");
  }
}
JAVA
# 8. SLF4J through logback (default pattern) and log4j2 (pattern with level first).
cat >"$SRC/Slf4jLogging.java" <<'JAVA'
package com.example.shop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class Slf4jLogging {
  private static final Logger LOG = LoggerFactory.getLogger(Slf4jLogging.class);
  static Object lookup(String key) {
    throw new IllegalStateException("cache miss for key " + key, new java.net.ConnectException("Connection refused"));
  }
  public static void main(String[] args) {
    LOG.info("request {} started", 17);
    try {
      lookup("user:17");
    } catch (RuntimeException e) {
      LOG.error("request {} failed", 17, e);
    }
    LOG.warn("at 10:00 the cache was cold");
    try {
      Object x = java.util.List.of().get(0);
    } catch (RuntimeException e) {
      LOG.warn("retrying after {}", e.toString(), e);
    }
    LOG.info("done");
  }
}
JAVA
cat >"$SRC/Log4jLogging.java" <<'JAVA'
package com.example.shop;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

public class Log4jLogging {
  private static final Logger LOG = LogManager.getLogger(Log4jLogging.class);
  static void save(String id) throws java.io.IOException {
    throw new java.io.FileNotFoundException("/data/" + id + ".json (No such file or directory)");
  }
  public static void main(String[] args) {
    LOG.info("saving 1 record");
    try {
      save("rec-9");
    } catch (java.io.IOException e) {
      LOG.error("save failed", new java.io.UncheckedIOException(e));
    }
    LOG.info("done");
  }
}
JAVA
mkdir -p "$W/conf"
cat >"$W/conf/log4j2.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="out" target="SYSTEM_OUT">
      <PatternLayout pattern="%d{ISO8601} %-5level [%t] %c{1.} - %msg%n"/>
    </Console>
  </Appenders>
  <Loggers><Root level="info"><AppenderRef ref="out"/></Root></Loggers>
</Configuration>
XML

J=/usr/share/java
LOGBACK_CP="$J/slf4j-api.jar:$J/logback-classic.jar:$J/logback-core.jar"
LOG4J_CP="$J/log4j-api.jar:$J/log4j-core.jar"
plain="Inventory Checkout Resources Worker Chain Npe Overflow JulLogging"
files=""
for c in $plain; do files="$files $SRC/$c.java"; done
javac -d "$W/classes" $files || { echo "corpus: javac failed" >&2; exit 1; }
for c in Checkout Resources Worker Chain Npe Overflow JulLogging; do
  name="$(printf '%s' "$c" | tr '[:upper:]' '[:lower:]')"
  capture "$OUT/$name.log" "$W" java -cp "$W/classes" "com.example.shop.$c"
done
if [ -f "$J/logback-classic.jar" ]; then
  javac -d "$W/classes" -cp "$LOGBACK_CP" "$SRC/Slf4jLogging.java" &&
    capture "$OUT/logback.log" "$W" java -cp "$W/classes:$LOGBACK_CP" com.example.shop.Slf4jLogging
fi
if [ -f "$J/log4j-core.jar" ]; then
  javac -d "$W/classes" -cp "$LOG4J_CP" "$SRC/Log4jLogging.java" &&
    capture "$OUT/log4j2.log" "$W" java -Dlog4j2.configurationFile="$W/conf/log4j2.xml" -cp "$W/classes:$LOG4J_CP" com.example.shop.Log4jLogging
fi
