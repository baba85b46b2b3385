#ifndef FFNB_CREADLINE_SHIM_H
#define FFNB_CREADLINE_SHIM_H
// readline.h needs stdio.h (FILE) first.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
#endif
