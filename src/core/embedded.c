/* embedded.c — lookup in the generated, name-sorted table of embedded files. */
#include "core/embedded.h"

#include <stdlib.h>
#include <string.h>

static int compare_name(const void *key, const void *entry)
{
	return strcmp(key, ((const struct embedded_file *)entry)->name);
}

const struct embedded_file *embedded_find(const char *name)
{
	return bsearch(name, embedded_files, embedded_files_count, sizeof embedded_files[0], compare_name);
}
