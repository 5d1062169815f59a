/* Messages in the admin's language: GNU gettext from the C library. */
#include <locale.h>
#include <stdlib.h>

#include "i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR	"/usr/share/locale"
#endif

/*
 * Only the categories messages need leave the C locale: LC_MESSAGES picks
 * the catalog, LC_CTYPE lets the library read the locale's name. The others
 * stay "C" on purpose: LC_NUMERIC would put a decimal comma into JSON,
 * metrics and Redis values, LC_COLLATE would reorder the plan files glob()
 * returns, LC_TIME would rename days in what strftime writes.
 */
void
i18n_init(void)
{
	const char	*dir = getenv("NHACVIEC_LOCALEDIR");

	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	bindtextdomain(I18N_DOMAIN, dir != NULL && *dir != '\0' ? dir :
	    LOCALEDIR);
	/* The plan, the config and the terminal speak UTF-8, and so do we. */
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	textdomain(I18N_DOMAIN);
}
