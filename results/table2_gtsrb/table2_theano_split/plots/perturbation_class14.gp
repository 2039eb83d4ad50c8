set terminal pngcairo size 1100,560 enhanced font 'DejaVu Sans,10'
set output 'perturbation_class14.png'
$D0 << EOD
1.958133501927954 55.05140970497464 5.09086896673472
1.958133501927954 72.09188356164853 5.755867073363739
EOD
$D1 << EOD
1.958133501927954 52.4 7.105427357601002e-15
1.958133501927954 77.32 1.7215109642404283
EOD
$D2 << EOD
1.958133501927954 50.628 0.6063134502878877
1.958133501927954 49.61 3.014199727954337
EOD
$D3 << EOD
1.958133501927954 63.160000000000004 6.461752084380829
1.958133501927954 69.29 3.28319965886938
EOD
$D4 << EOD
1.958133501927954 54.188 4.474382191990309
1.958133501927954 66.42 2.7481994105231924
EOD
$D5 << EOD
1.958133501927954 55.74400000000001 4.926879742798682
1.958133501927954 73.5 2.2259829289552036
EOD
set title "table2\\_theano\\_split: AUC against the adversarial perturbation (dashed: the paper)"
set xlabel 'median L2 perturbation of the set (pixels in [0, 1])'
set ylabel 'AUC (%)'
set grid
set key outside right
set logscale x 2
set xrange [1.631777918273295:2.349760202313545]
set yrange [*:100]
plot $D0 using 1:2:3 with yerrorlines lc 1 pt 7 title "ocsvm", 67.5 with lines dt 2 lc 1 title "ocsvm (paper)", $D1 using 1:2:3 with yerrorlines lc 2 pt 7 title "kde", 60.5 with lines dt 2 lc 2 title "kde (paper)", $D2 using 1:2:3 with yerrorlines lc 3 pt 7 title "isolation\\_forest", 73.8 with lines dt 2 lc 3 title "isolation\\_forest (paper)", $D3 using 1:2:3 with yerrorlines lc 4 pt 7 title "dcae", 79.1 with lines dt 2 lc 4 title "dcae (paper)", $D4 using 1:2:3 with yerrorlines lc 5 pt 7 title "deep\\_svdd\\_soft", 77.8 with lines dt 2 lc 5 title "deep\\_svdd\\_soft (paper)", $D5 using 1:2:3 with yerrorlines lc 6 pt 7 title "deep\\_svdd\\_one\\_class", 80.3 with lines dt 2 lc 6 title "deep\\_svdd\\_one\\_class (paper)"

unset output
reset
set terminal svg size 1100,560 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'perturbation_class14.svg'
$D0 << EOD
1.958133501927954 55.05140970497464 5.09086896673472
1.958133501927954 72.09188356164853 5.755867073363739
EOD
$D1 << EOD
1.958133501927954 52.4 7.105427357601002e-15
1.958133501927954 77.32 1.7215109642404283
EOD
$D2 << EOD
1.958133501927954 50.628 0.6063134502878877
1.958133501927954 49.61 3.014199727954337
EOD
$D3 << EOD
1.958133501927954 63.160000000000004 6.461752084380829
1.958133501927954 69.29 3.28319965886938
EOD
$D4 << EOD
1.958133501927954 54.188 4.474382191990309
1.958133501927954 66.42 2.7481994105231924
EOD
$D5 << EOD
1.958133501927954 55.74400000000001 4.926879742798682
1.958133501927954 73.5 2.2259829289552036
EOD
set title "table2\\_theano\\_split: AUC against the adversarial perturbation (dashed: the paper)"
set xlabel 'median L2 perturbation of the set (pixels in [0, 1])'
set ylabel 'AUC (%)'
set grid
set key outside right
set logscale x 2
set xrange [1.631777918273295:2.349760202313545]
set yrange [*:100]
plot $D0 using 1:2:3 with yerrorlines lc 1 pt 7 title "ocsvm", 67.5 with lines dt 2 lc 1 title "ocsvm (paper)", $D1 using 1:2:3 with yerrorlines lc 2 pt 7 title "kde", 60.5 with lines dt 2 lc 2 title "kde (paper)", $D2 using 1:2:3 with yerrorlines lc 3 pt 7 title "isolation\\_forest", 73.8 with lines dt 2 lc 3 title "isolation\\_forest (paper)", $D3 using 1:2:3 with yerrorlines lc 4 pt 7 title "dcae", 79.1 with lines dt 2 lc 4 title "dcae (paper)", $D4 using 1:2:3 with yerrorlines lc 5 pt 7 title "deep\\_svdd\\_soft", 77.8 with lines dt 2 lc 5 title "deep\\_svdd\\_soft (paper)", $D5 using 1:2:3 with yerrorlines lc 6 pt 7 title "deep\\_svdd\\_one\\_class", 80.3 with lines dt 2 lc 6 title "deep\\_svdd\\_one\\_class (paper)"

unset output
reset
