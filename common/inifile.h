/* INI text through libinih, with line numbers, line checks and sections. */
#ifndef NV_INIFILE_H
#define NV_INIFILE_H

#include <stddef.h>
#include <stdio.h>

/* The longest line, line end included: inih's buffer less "\r\n\0". */
#define INIFILE_LINE_MAX	65533

/*
 * What the reader calls, each with the line number it is about. Lines the
 * reader rejects itself (a NUL byte, not UTF-8, too long, no '=', a broken
 * header) go to error and nowhere else.
 */
struct inifile_handler {
	/*
	 * A "[...]" header: text is what is inside the brackets, trimmed.
	 * NULL for a header without its ']': the keys under it are skipped,
	 * since its error says enough.
	 */
	void	(*section)(void *arg, const char *text, unsigned line);
	/* "key = value" under section, the header's text; NULL before any. */
	void	(*key)(void *arg, const char *section, const char *key,
		    const char *value, unsigned line);
	/* A message for line (0: the whole input). */
	void	(*error)(void *arg, unsigned line, const char *msg);
};

/*
 * Read the len bytes at text (a file's, from file_read). Returns 0 when the
 * input was read to its end (whatever errors it held), -1 when it could not
 * be (reported to error with line 0). The libinih globals are set for the
 * read and restored.
 */
int	inifile_read_text(const char *text, size_t len,
	    const struct inifile_handler *, void *arg);

/*
 * Split a section header's text ("channel  email ") in place into its kind
 * ("channel") and name ("email", or "" when there is none), trimmed.
 */
void	inifile_split_section(char *text, char **kind, char **name);

#endif
