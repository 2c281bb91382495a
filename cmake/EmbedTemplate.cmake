# The built-in HTML report template is compiled into the core library, so
# an installed imgaudit does not need the source tree. Edit
# templates/report.html; this regenerates the C array when it changes.
set(IMGAUDIT_TEMPLATE_SRC ${CMAKE_CURRENT_SOURCE_DIR}/templates/report.html)
set(IMGAUDIT_TEMPLATE_C ${CMAKE_CURRENT_BINARY_DIR}/generated/report_html.c)
add_custom_command(
  OUTPUT ${IMGAUDIT_TEMPLATE_C}
  COMMAND ${CMAKE_COMMAND} -DIN=${IMGAUDIT_TEMPLATE_SRC} -DOUT=${IMGAUDIT_TEMPLATE_C}
          -DNAME=templates/report.html -DSYMBOL=tpl_report_html
          -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed.cmake
  DEPENDS ${IMGAUDIT_TEMPLATE_SRC} ${CMAKE_CURRENT_SOURCE_DIR}/cmake/embed.cmake
  COMMENT "Embedding templates/report.html"
  VERBATIM)
target_sources(imgaudit_core PRIVATE ${IMGAUDIT_TEMPLATE_C})
