# Shell integration: the man page and the bash and zsh completions are
# generated at build time by tools/gen_shell.c from the option table
# (src/cli/options.def), the command table (src/cli/commands.def) and the
# exit codes of docs/imgaudit.md, so they change whenever those do (the
# generator links the core for the value lists it does not include:
# severities, formats, --split-by keys). Outputs, in the build
# tree: imgaudit.1, completion/imgaudit.bash, completion/_imgaudit.
# `cmake --install` puts them where man, bash-completion and zsh's compinit
# look. tests/cli/shell-sync.sh checks them against --help.
include(GNUInstallDirs)

add_executable(gen_shell tools/gen_shell.c)
target_link_libraries(gen_shell PRIVATE imgaudit_core)
imgaudit_add_warnings(gen_shell)

set(IMGAUDIT_MAN ${CMAKE_CURRENT_BINARY_DIR}/imgaudit.1)
set(IMGAUDIT_BASH_COMPLETION ${CMAKE_CURRENT_BINARY_DIR}/completion/imgaudit.bash)
set(IMGAUDIT_ZSH_COMPLETION ${CMAKE_CURRENT_BINARY_DIR}/completion/_imgaudit)
add_custom_command(
  OUTPUT ${IMGAUDIT_MAN} ${IMGAUDIT_BASH_COMPLETION} ${IMGAUDIT_ZSH_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/completion
  COMMAND gen_shell ${CMAKE_CURRENT_SOURCE_DIR}/docs/imgaudit.md ${IMGAUDIT_MAN}
          ${IMGAUDIT_BASH_COMPLETION} ${IMGAUDIT_ZSH_COMPLETION}
  DEPENDS gen_shell ${CMAKE_CURRENT_SOURCE_DIR}/docs/imgaudit.md
  COMMENT "Generating the man page and the bash and zsh completions"
  VERBATIM)
add_custom_target(shell_integration ALL
  DEPENDS ${IMGAUDIT_MAN} ${IMGAUDIT_BASH_COMPLETION} ${IMGAUDIT_ZSH_COMPLETION})

install(TARGETS imgaudit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${IMGAUDIT_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${IMGAUDIT_BASH_COMPLETION}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME imgaudit)
install(FILES ${IMGAUDIT_ZSH_COMPLETION}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
