# Warnings and sanitizers, applied per target (cmark/curl style).
function(imgaudit_add_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic
    $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes -Wmissing-prototypes>
    -Wshadow -Wwrite-strings -Wformat=2 -Wundef -Wvla
    -Wno-unused-parameter)
  if(IMGAUDIT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(IMGAUDIT_SANITIZE)
    string(REPLACE ";" "," san "${IMGAUDIT_SANITIZE}")
    target_compile_options(${target} PRIVATE -fsanitize=${san}
      -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${san})
  endif()
endfunction()
