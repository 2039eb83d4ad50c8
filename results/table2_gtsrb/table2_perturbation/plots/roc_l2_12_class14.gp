set terminal pngcairo size 760,560 enhanced font 'DejaVu Sans,10'
set output 'roc_l2_12_class14.png'
$S0 << EOD
0 0
0 0.5555555555555556
0.0044444444444444444 0.5555555555555556
0.0044444444444444444 0.6111111111111112
0.008888888888888889 0.6111111111111112
0.008888888888888889 0.8333333333333334
0.044444444444444446 0.8333333333333334
0.044444444444444446 0.8888888888888888
0.10666666666666667 0.8888888888888888
0.10666666666666667 0.9444444444444444
0.7155555555555555 0.9444444444444444
0.7155555555555555 1
1 1
EOD
$S1 << EOD
0 0
0 0.5
0.008 0.5
0.008 0.55
0.012 0.55
0.012 0.7
0.016 0.7
0.016 0.75
0.024 0.75
0.024 0.8
0.076 0.8
0.076 0.85
0.092 0.85
0.092 0.9
0.168 0.9
0.168 0.95
0.732 0.95
0.732 1
1 1
EOD
$S2 << EOD
0 0
0.288 0
0.288 0.05
0.472 0.05
0.472 0.1
0.624 0.1
0.624 0.15
0.632 0.15
0.632 0.2
0.656 0.2
0.656 0.25
0.668 0.25
0.668 0.45
0.68 0.45
0.68 0.5
0.724 0.5
0.724 0.55
0.728 0.55
0.728 0.65
0.78 0.65
0.78 0.7
0.784 0.7
0.784 0.75
0.788 0.75
0.788 0.8
0.796 0.8
0.796 0.85
0.804 0.85
0.804 0.9
0.816 0.9
0.816 0.95
0.872 0.95
0.872 1
1 1
EOD
$S3 << EOD
0 0
0 0.95
0.1 0.95
0.1 1
1 1
EOD
$S4 << EOD
0 0
0 1
1 1
EOD
$S5 << EOD
0 0
0 0.95
0.008 0.95
0.008 1
1 1
EOD
set title "GTSRB stop signs vs adversarial, stopped at L2 12 normal class 14: ROC, seed 1"
set xlabel "false positive rate"
set ylabel "true positive rate"
set grid
set key outside right
set xrange [0:1]
set yrange [0:1]
set size ratio -1
set arrow from 0,0 to 1,1 nohead dt 2 lc rgb 'gray'
plot $S0 using 1:2 with lines lw 2 title "ocsvm (AUC 95.0)", $S1 using 1:2 with lines lw 2 title "kde (AUC 94.2)", $S2 using 1:2 with lines lw 2 title "isolation\\_forest (AUC 30.8)", $S3 using 1:2 with lines lw 2 title "dcae (AUC 99.5)", $S4 using 1:2 with lines lw 2 title "deep\\_svdd\\_soft (AUC 100.0)", $S5 using 1:2 with lines lw 2 title "deep\\_svdd\\_one\\_class (AUC 100.0)"

unset output
reset
set terminal svg size 760,560 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'roc_l2_12_class14.svg'
$S0 << EOD
0 0
0 0.5555555555555556
0.0044444444444444444 0.5555555555555556
0.0044444444444444444 0.6111111111111112
0.008888888888888889 0.6111111111111112
0.008888888888888889 0.8333333333333334
0.044444444444444446 0.8333333333333334
0.044444444444444446 0.8888888888888888
0.10666666666666667 0.8888888888888888
0.10666666666666667 0.9444444444444444
0.7155555555555555 0.9444444444444444
0.7155555555555555 1
1 1
EOD
$S1 << EOD
0 0
0 0.5
0.008 0.5
0.008 0.55
0.012 0.55
0.012 0.7
0.016 0.7
0.016 0.75
0.024 0.75
0.024 0.8
0.076 0.8
0.076 0.85
0.092 0.85
0.092 0.9
0.168 0.9
0.168 0.95
0.732 0.95
0.732 1
1 1
EOD
$S2 << EOD
0 0
0.288 0
0.288 0.05
0.472 0.05
0.472 0.1
0.624 0.1
0.624 0.15
0.632 0.15
0.632 0.2
0.656 0.2
0.656 0.25
0.668 0.25
0.668 0.45
0.68 0.45
0.68 0.5
0.724 0.5
0.724 0.55
0.728 0.55
0.728 0.65
0.78 0.65
0.78 0.7
0.784 0.7
0.784 0.75
0.788 0.75
0.788 0.8
0.796 0.8
0.796 0.85
0.804 0.85
0.804 0.9
0.816 0.9
0.816 0.95
0.872 0.95
0.872 1
1 1
EOD
$S3 << EOD
0 0
0 0.95
0.1 0.95
0.1 1
1 1
EOD
$S4 << EOD
0 0
0 1
1 1
EOD
$S5 << EOD
0 0
0 0.95
0.008 0.95
0.008 1
1 1
EOD
set title "GTSRB stop signs vs adversarial, stopped at L2 12 normal class 14: ROC, seed 1"
set xlabel "false positive rate"
set ylabel "true positive rate"
set grid
set key outside right
set xrange [0:1]
set yrange [0:1]
set size ratio -1
set arrow from 0,0 to 1,1 nohead dt 2 lc rgb 'gray'
plot $S0 using 1:2 with lines lw 2 title "ocsvm (AUC 95.0)", $S1 using 1:2 with lines lw 2 title "kde (AUC 94.2)", $S2 using 1:2 with lines lw 2 title "isolation\\_forest (AUC 30.8)", $S3 using 1:2 with lines lw 2 title "dcae (AUC 99.5)", $S4 using 1:2 with lines lw 2 title "deep\\_svdd\\_soft (AUC 100.0)", $S5 using 1:2 with lines lw 2 title "deep\\_svdd\\_one\\_class (AUC 100.0)"

unset output
reset
