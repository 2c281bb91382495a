/* SPDX-License-Identifier: MIT
 * imgaudit's entry point: everything happens in cli_main() (src/cli),
 * so that tests can drive the same code. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
