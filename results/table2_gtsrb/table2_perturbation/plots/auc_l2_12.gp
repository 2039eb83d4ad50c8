set terminal pngcairo size 1100,520 enhanced font 'DejaVu Sans,10'
set output 'auc_l2_12.png'
$D << EOD
0 -0.3333333333333333 88.13145131346886 10.001665374112244
1 -0.2 94.24 0
2 -0.06666666666666667 30.30666666666667 0.5865909041989044
3 0.06666666666666667 96.64 3.534326904329406
4 0.2 99.78666666666668 0.30169889330626054
5 0.3333333333333333 99.78000000000002 0.2833137248116809
EOD
$P << EOD
-0.3333333333333333 67.5
-0.2 60.5
-0.06666666666666667 73.8
0.06666666666666667 79.1
0.2 77.8
0.3333333333333333 80.3
EOD
set xtics ("14" 0)
set title "GTSRB stop signs vs adversarial, stopped at L2 12: AUC per class, mean and std over seeds (table2\\_perturbation)"
set ylabel 'AUC (%)'
set xlabel 'normal class'
set grid ytics
set key outside right
set boxwidth 0.12666666666666665 absolute
set style fill solid 0.6 border -1
set yrange [*:100]
set xrange [-0.6:0.6]
plot $D using ($1==0 ? $2 : 1/0):3:4 with boxerrorbars lc 1 title "ocsvm", $D using ($1==1 ? $2 : 1/0):3:4 with boxerrorbars lc 2 title "kde", $D using ($1==2 ? $2 : 1/0):3:4 with boxerrorbars lc 3 title "isolation\\_forest", $D using ($1==3 ? $2 : 1/0):3:4 with boxerrorbars lc 4 title "dcae", $D using ($1==4 ? $2 : 1/0):3:4 with boxerrorbars lc 5 title "deep\\_svdd\\_soft", $D using ($1==5 ? $2 : 1/0):3:4 with boxerrorbars lc 6 title "deep\\_svdd\\_one\\_class", $P using 1:2 with points pt 7 ps 0.8 lc rgb 'black' title 'paper'

unset output
reset
set terminal svg size 1100,520 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'auc_l2_12.svg'
$D << EOD
0 -0.3333333333333333 88.13145131346886 10.001665374112244
1 -0.2 94.24 0
2 -0.06666666666666667 30.30666666666667 0.5865909041989044
3 0.06666666666666667 96.64 3.534326904329406
4 0.2 99.78666666666668 0.30169889330626054
5 0.3333333333333333 99.78000000000002 0.2833137248116809
EOD
$P << EOD
-0.3333333333333333 67.5
-0.2 60.5
-0.06666666666666667 73.8
0.06666666666666667 79.1
0.2 77.8
0.3333333333333333 80.3
EOD
set xtics ("14" 0)
set title "GTSRB stop signs vs adversarial, stopped at L2 12: AUC per class, mean and std over seeds (table2\\_perturbation)"
set ylabel 'AUC (%)'
set xlabel 'normal class'
set grid ytics
set key outside right
set boxwidth 0.12666666666666665 absolute
set style fill solid 0.6 border -1
set yrange [*:100]
set xrange [-0.6:0.6]
plot $D using ($1==0 ? $2 : 1/0):3:4 with boxerrorbars lc 1 title "ocsvm", $D using ($1==1 ? $2 : 1/0):3:4 with boxerrorbars lc 2 title "kde", $D using ($1==2 ? $2 : 1/0):3:4 with boxerrorbars lc 3 title "isolation\\_forest", $D using ($1==3 ? $2 : 1/0):3:4 with boxerrorbars lc 4 title "dcae", $D using ($1==4 ? $2 : 1/0):3:4 with boxerrorbars lc 5 title "deep\\_svdd\\_soft", $D using ($1==5 ? $2 : 1/0):3:4 with boxerrorbars lc 6 title "deep\\_svdd\\_one\\_class", $P using 1:2 with points pt 7 ps 0.8 lc rgb 'black' title 'paper'

unset output
reset
