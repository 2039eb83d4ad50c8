set terminal pngcairo size 1100,520 enhanced font 'DejaVu Sans,10'
set output 'auc_l2_8.png'
$D << EOD
0 -0.3333333333333333 83.74093799313097 3.2853012563649493
1 -0.2 85.74000000000001 0
2 -0.06666666666666667 37.27333333333333 0.7037676384211541
3 0.06666666666666667 94.21333333333332 6.558380558915103
4 0.2 97.35333333333334 1.330096070047405
5 0.3333333333333333 97.06 1.2199453539674143
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
set title "GTSRB stop signs vs adversarial, stopped at L2 8: AUC per class, mean and std over seeds (table2\\_perturbation)"
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
set output 'auc_l2_8.svg'
$D << EOD
0 -0.3333333333333333 83.74093799313097 3.2853012563649493
1 -0.2 85.74000000000001 0
2 -0.06666666666666667 37.27333333333333 0.7037676384211541
3 0.06666666666666667 94.21333333333332 6.558380558915103
4 0.2 97.35333333333334 1.330096070047405
5 0.3333333333333333 97.06 1.2199453539674143
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
set title "GTSRB stop signs vs adversarial, stopped at L2 8: AUC per class, mean and std over seeds (table2\\_perturbation)"
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
