package io.cairn.dynamodb.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The native library's extraction, seen from a JVM of its own: nothing of it is left once that JVM has exited. */
class SqliteNativeLibraryTest {

    /** Extracts the library, prints the folder it went to, and exits normally. */
    public static final class Extract {
        public static void main(String[] args) {
            SqliteNativeLibrary.install();
            System.out.println(System.getProperty(SqliteNativeLibrary.LIBRARY_PATH_PROPERTY));
        }
    }

    @Test
    void the_extracted_library_and_its_folder_are_gone_after_the_jvm_exits() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Extract.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();
        List<String> printed = lines(child);
        assertThat(child.exitValue()).isZero();
        assertThat(printed).hasSize(1);

        Path folder = Path.of(printed.get(0));
        assertThat(folder.getFileName().toString()).startsWith("cairn-sqlite4java-");
        assertThat(folder).as("the folder the library was extracted to").doesNotExist();
    }

    @Test
    void the_library_is_extracted_once_per_jvm_and_loadable_from_the_folder_it_names() {
        SqliteNativeLibrary.install();
        String folder = System.getProperty(SqliteNativeLibrary.LIBRARY_PATH_PROPERTY);
        SqliteNativeLibrary.install();

        assertThat(System.getProperty(SqliteNativeLibrary.LIBRARY_PATH_PROPERTY)).isEqualTo(folder);
        assertThat(Path.of(folder).resolve("libsqlite4java-linux-amd64.so")).isRegularFile();
        assertThat(System.getProperty(SqliteNativeLibrary.EMBEDDED_PATH_PROPERTY)).isEqualTo(folder);
    }

    private static List<String> lines(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
}
