/* Messages in the admin's language: GNU gettext from the C library. */
#ifndef NV_I18N_H
#define NV_I18N_H

#include <libintl.h>

#define I18N_DOMAIN	"nhacviec"

/* A message to translate where it is printed; N_ marks one for later. */
#define _(s)	gettext(s)
#define N_(s)	(s)

/*
 * The language of messages from LANG, LC_ALL, LC_MESSAGES (LANGUAGE too);
 * catalogs from $NHACVIEC_LOCALEDIR, else LOCALEDIR. Numbers, the order of
 * file names and times stay as in the C locale: what machines read never
 * changes with the language.
 */
void	i18n_init(void);

#endif
