// Runs add.wat end to end with nothing but the core jar on the class path:
//   java -cp java/core/target/wasmbridge-core-0.1.0-SNAPSHOT.jar examples/hello/Hello.java
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Memory;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import java.nio.file.Files;
import java.nio.file.Path;

public class Hello {
    public static void main(String[] args) throws Exception {
        Path wat = Path.of(args.length > 0 ? args[0] : "examples/hello/add.wat");
        try (Engine engine = Engine.create();
                Module module = Module.fromWat(engine, Files.readString(wat));
                Store store = Store.create(engine);
                Linker linker = Linker.create(engine)) {
            Instance instance = linker.instantiate(store, module);
            int sum = (int) instance.function("add").call(40, 2)[0];
            Memory memory = instance.memory("memory");
            memory.write(1024, "hello".getBytes(UTF_8));
            System.out.println("add(40, 2) = " + sum);
            System.out.println("memory[1024..1029] = " + new String(memory.read(1024, 5), UTF_8));
        }
    }
}
