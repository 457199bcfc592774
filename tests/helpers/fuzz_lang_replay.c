/*
 * tests/helpers/fuzz_lang_replay.c — replay files through the fuzz target
 * tests/fuzz/fuzz_lang.c without libFuzzer (normal compiler, runs under
 * ASan in `make check SANITIZE=1`).
 *
 * Usage: fuzz_lang_replay FILE...   Prints "replay FILE" before each input
 * so a crash names its input; exits 0 when every input ran, 1 if a file
 * could not be read.
 */
#include "tests/fuzz/fuzz_lang.c"

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        strbuf b = {0};
        char chunk[65536];
        size_t n;
        if (!f) {
            fprintf(stderr, "fuzz_lang_replay: cannot open %s\n", argv[i]);
            rc = 1;
            continue;
        }
        do {
            n = fread(chunk, 1, sizeof chunk, f);
            sb_append(&b, chunk, n);
        } while (n > 0);
        fclose(f);
        fprintf(stderr, "replay %s\n", argv[i]);
        LLVMFuzzerTestOneInput((const uint8_t *)(b.s ? b.s : ""), b.len);
        sb_free(&b);
    }
    return rc;
}
