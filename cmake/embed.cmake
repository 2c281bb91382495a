# Script mode (cmake -P): write the bytes of IN as a C array SYMBOL (and
# SYMBOL_len) into OUT. Bytes rather than a string literal: the template
# is longer than the 4095 characters a C11 string literal is guaranteed to
# hold (-Woverlength-strings); unsigned because the text is UTF-8.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" nhex)
math(EXPR len "${nhex} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# CMake regexes have no {n}: sixteen bytes a line, spelled out.
string(REPEAT "0x[0-9a-f][0-9a-f]," 16 line)
string(REGEX REPLACE "(${line})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
"/* Generated from ${NAME} by cmake/embed.cmake: do not edit. */
#include <stddef.h>
extern const unsigned char ${SYMBOL}[];
extern const size_t ${SYMBOL}_len;
const unsigned char ${SYMBOL}[] = {
${bytes}0x00};
const size_t ${SYMBOL}_len = ${len};
")
file(RENAME "${OUT}.tmp" "${OUT}")
