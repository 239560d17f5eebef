/* No-op definition of std::ios_base_library_init() (mangled: _ZSt21ios_base_library_initv).
 *
 * GCC 13's libstdc++ (GLIBCXX_3.4.32) calls this from every translation unit that includes <iostream>
 * to make sure the standard streams are constructed. Older libstdc++ (Debian 12 has 3.4.30) constructs
 * them in its own static initialiser, so doing nothing here is correct: by the time any code runs, the
 * streams already exist. Linked into libios_base_library_init.so and added as NEEDED to TorchSharp's
 * native library only on machines whose libstdc++ lacks GLIBCXX_3.4.32. */
void _ZSt21ios_base_library_initv(void) {}
