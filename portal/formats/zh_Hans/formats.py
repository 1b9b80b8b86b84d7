# Django's Chinese formats group digits in fours without a separator ("2000000"); technical
# Chinese writing groups in threes with a comma ("2,000,000"), as benchmark tools print.
# Every other format comes from Django's zh_Hans module.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
