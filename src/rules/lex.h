/* SPDX-License-Identifier: MIT
 * The tokenizer of the `when` expression language. Hand-written (SQLite
 * style): lex_next() never fails; a character it cannot use becomes a
 * TK_ERROR token whose 'err' says why, and the parser reports it with the
 * token's byte range. Every token carries its [start, end) byte range in
 * the expression text, which is how diagnostics find their column. */
#ifndef IMGAUDIT_RULES_LEX_H
#define IMGAUDIT_RULES_LEX_H
#include <stddef.h>
#include <stdint.h>

enum tok_kind {
    TK_EOF, TK_ERROR,
    TK_INT, TK_DEC, TK_DUR, TK_STR, TK_IDENT,
    TK_TRUE, TK_FALSE, TK_NULL, TK_AND, TK_OR, TK_NOT, TK_IN,
    TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK, TK_COMMA, TK_DOT,
    TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_MATCH, TK_NMATCH,
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,
};

struct token {
    enum tok_kind kind;
    size_t start, end;          /* byte range in the expression */
    int64_t i;                  /* TK_INT; TK_DUR in milliseconds */
    double d;                   /* TK_DEC */
    const char *err;            /* TK_ERROR: static message text */
};

struct lexer {
    const char *src;
    size_t len, pos;
};

void lex_init(struct lexer *lx, const char *src, size_t len);
/* The next token; after the end, TK_EOF forever. */
void lex_next(struct lexer *lx, struct token *out);

/* Decode the string literal token at [start, end) of 'src' (quotes
 * included; the lexer has validated it) into a new NUL-terminated string
 * the caller frees; its length goes to '*len'. */
char *lex_string_value(const char *src, size_t start, size_t end, size_t *len);
/* The offset in 'src' of the byte that produced decoded byte 'k' of the
 * string literal at [start, end); k == decoded length gives the closing
 * quote. Used to put a caret on a regex error inside a literal. */
size_t lex_string_srcoff(const char *src, size_t start, size_t end, size_t k);

/* How a token reads in an error message: "'and'", "end of expression". */
const char *lex_kind_name(enum tok_kind k);

#endif
